namespace Sched.Fast.Tc.Commands;

/// <summary>Words that tc_qdisc.c and tc_class.c parse alike.</summary>
internal static class TcWords
{
    /// <summary>Longest name tc keeps: it strncpy()s device and kind names into 16-byte buffers.</summary>
    private const int NameMax = 15;

    /// <summary>"dev NAME" in a modify or class list: a second "dev" is a duplicate argument.</summary>
    public static string Device(TcArgs args, string given)
    {
        string value = args.NextArg();
        if (given.Length > 0) throw TcException.DuplicateArgument("dev", value);
        return Truncate(value);
    }

    /// <summary>strncpy() into tc's 16-byte buffers.</summary>
    public static string Truncate(string name) => name.Length <= NameMax ? name : name[..NameMax];
}
