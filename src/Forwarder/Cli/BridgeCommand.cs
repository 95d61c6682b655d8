using System.CommandLine;

namespace Forwarder.Cli;

/// <summary><c>forwarder bridge IF IF</c>: forward both ways between two interfaces.</summary>
internal static class BridgeCommand
{
    public static Command Build()
    {
        var first = new Argument<string>("if1") { Description = "the first interface" };
        var second = new Argument<string>("if2") { Description = "the second interface" };
        var cmd = new Command("bridge", "forward both ways between two interfaces, each direction through the egress port's root qdisc")
        {
            first, second,
        };
        return ForwardingCommand.Complete(cmd, bridge: true, r => [r.GetValue(first)!, r.GetValue(second)!]);
    }
}
