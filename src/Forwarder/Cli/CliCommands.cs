using System.CommandLine;
using Forwarder.Lab;

namespace Forwarder.Cli;

/// <summary>
/// Every subcommand of <c>forwarder</c>, in the order --help lists them. A new subcommand is one line here: a static
/// <c>Build()</c> returning its <see cref="Command"/> (options, arguments and action).
/// </summary>
internal static class CliCommands
{
    public static IEnumerable<Command> All() =>
    [
        RunCommand.Build(),
        BridgeCommand.Build(),
        LabCommand.Build(),
        BpfCommand.Build(),
    ];

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "forwarder: a userspace packet forwarder with Linux traffic control (tc) semantics. " +
            "It receives frames on one interface, queues them through tc qdiscs, and sends them out of another.");
        foreach (Command c in All()) root.Add(c);
        return root;
    }
}
