namespace Sched.Fast.Tc.Commands;

/// <summary>
/// The registry of tc objects. tc/tc.c do_cmd() tries the object words in a fixed order with matches() ("c" is
/// class, not chain; "a" is actions), so the order lives here and implementations plug into its slots.
/// </summary>
public static class TcObjects
{
    /// <summary>do_cmd()'s order.</summary>
    private static readonly string[] s_order = ["qdisc", "class", "filter", "chain", "actions", "monitor", "exec"];

    private static readonly Dictionary<string, ITcObjectCommand> s_commands = new(StringComparer.Ordinal);

    static TcObjects()
    {
        Register(new QdiscCommand());
        Register(new ClassCommand());
        Register(new Classifiers.Commands.FilterObject());
        Register(new Classifiers.Commands.ChainObject());
        Register(new Actions.Commands.ActionsObject());
    }

    public static IEnumerable<ITcObjectCommand> All => s_commands.Values;

    /// <summary>The object <paramref name="word"/> selects, by do_cmd()'s rules, or null.</summary>
    public static ITcObjectCommand? Match(string word)
    {
        foreach (string name in s_order)
        {
            if (TcArgs.IsPrefixOf(word, name)) return s_commands.GetValueOrDefault(name);
        }
        return null;
    }

    /// <summary>Adds an object. Its <see cref="ITcObjectCommand.Name"/> must be one of do_cmd()'s words.</summary>
    public static void Register(ITcObjectCommand command)
    {
        if (Array.IndexOf(s_order, command.Name) < 0)
            throw new ArgumentException($"\"{command.Name}\" is not a tc object", nameof(command));
        s_commands[command.Name] = command;
    }
}
