using System.CommandLine;

namespace Forwarder.Cli;

/// <summary><c>forwarder run --in IF --out IF</c>: forward one way, from one interface to another.</summary>
internal static class RunCommand
{
    public static Command Build()
    {
        var input = new Option<string>("--in") { Description = "the interface to receive from", Required = true };
        var output = new Option<string>("--out") { Description = "the interface to send out of", Required = true };
        var cmd = new Command("run", "forward every frame received on --in out of --out, through --out's root qdisc (pfifo_fast by default)")
        {
            input, output,
        };
        return ForwardingCommand.Complete(cmd, bridge: false, r => [r.GetValue(input)!, r.GetValue(output)!]);
    }
}
