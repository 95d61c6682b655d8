using System.CommandLine;

namespace Forwarder.Cli;

/// <summary>What run and bridge share: the forwarding options and an action that runs a <see cref="ForwardingSession"/>.</summary>
internal static class ForwardingCommand
{
    /// <summary>
    /// Adds --io, --stats-interval, --pool-packets, --name, --tc, --nice and --rx-ring to <paramref name="command"/> (after the
    /// symbols it already has, so help lists them in this order) and makes it forward between the two interfaces
    /// that <paramref name="interfaces"/> reads from the parse result.
    /// </summary>
    public static Command Complete(Command command, bool bridge, Func<ParseResult, string[]> interfaces)
    {
        var io = CommonOptions.Io();
        var stats = CommonOptions.StatsInterval();
        var pool = CommonOptions.PoolPackets();
        var name = CommonOptions.Name();
        var tc = CommonOptions.TcBatch();
        var nice = CommonOptions.Nice();
        var rxRing = CommonOptions.RxRing();
        foreach (Option option in (Option[])[io, stats, pool, name, tc, nice, rxRing]) command.Options.Add(option);
        command.SetAction((result, token) => ForwardingSession.RunAsync(new ForwardingRequest(
            interfaces(result), bridge, result.GetValue(io), result.GetValue(stats), result.GetValue(pool),
            result.GetValue(name)!, result.GetValue(tc), result.GetValue(nice), result.GetValue(rxRing) == "blocks"),
            Console.Out, Console.Error, token));
        return command;
    }
}
