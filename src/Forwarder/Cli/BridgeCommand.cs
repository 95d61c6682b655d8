using System.CommandLine;

namespace Forwarder.Cli;

/// <summary><c>forwarder bridge IF IF</c>: forward both ways between two interfaces.</summary>
internal static class BridgeCommand
{
    public static Command Build()
    {
        var first = new Argument<string>("if1") { Description = "the first interface" };
        var second = new Argument<string>("if2") { Description = "the second interface" };
        var io = CommonOptions.Io();
        var stats = CommonOptions.StatsInterval();
        var pool = CommonOptions.PoolPackets();
        var name = CommonOptions.Name();
        var tc = CommonOptions.TcBatch();
        var nice = CommonOptions.Nice();
        var rxRing = CommonOptions.RxRing();
        var cmd = new Command("bridge", "forward both ways between two interfaces, each direction through the egress port's root qdisc")
        {
            first, second, io, stats, pool, name, tc, nice, rxRing,
        };
        cmd.SetAction((result, token) => ForwardingSession.RunAsync(new ForwardingRequest(
            [result.GetValue(first)!, result.GetValue(second)!], Bridge: true, result.GetValue(io),
            result.GetValue(stats), result.GetValue(pool), result.GetValue(name)!, result.GetValue(tc), result.GetValue(nice),
            result.GetValue(rxRing) == "blocks"),
            Console.Out, Console.Error, token));
        return cmd;
    }
}
