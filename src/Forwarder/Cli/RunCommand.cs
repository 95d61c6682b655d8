using System.CommandLine;

namespace Forwarder.Cli;

/// <summary><c>forwarder run --in IF --out IF</c>: forward one way, from one interface to another.</summary>
internal static class RunCommand
{
    public static Command Build()
    {
        var input = new Option<string>("--in") { Description = "the interface to receive from", Required = true };
        var output = new Option<string>("--out") { Description = "the interface to send out of", Required = true };
        var io = CommonOptions.Io();
        var stats = CommonOptions.StatsInterval();
        var pool = CommonOptions.PoolPackets();
        var name = CommonOptions.Name();
        var tc = CommonOptions.TcBatch();
        var nice = CommonOptions.Nice();
        var rxRing = CommonOptions.RxRing();
        var cmd = new Command("run", "forward every frame received on --in out of --out, through --out's root qdisc (pfifo_fast by default)")
        {
            input, output, io, stats, pool, name, tc, nice, rxRing,
        };
        cmd.SetAction((result, token) => ForwardingSession.RunAsync(new ForwardingRequest(
            [result.GetValue(input)!, result.GetValue(output)!], Bridge: false, result.GetValue(io),
            result.GetValue(stats), result.GetValue(pool), result.GetValue(name)!, result.GetValue(tc), result.GetValue(nice),
            result.GetValue(rxRing) == "blocks"),
            Console.Out, Console.Error, token));
        return cmd;
    }
}
