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
            result.GetValue(name)!, result.GetValue(tc), result.GetValue(nice), UsesBlockRing(result.GetValue(rxRing)!, result.GetValue(tc))),
            Console.Out, Console.Error, token));
        return command;
    }

    /// <summary>
    /// auto: a configuration given at start (--tc) usually shapes or delays, which needs each frame as it lands; plain
    /// forwarding gets the cheaper block ring. A shaper added later over the control socket works on either.
    /// </summary>
    private static bool UsesBlockRing(string ring, string? tcBatch) => ring == "blocks" || (ring == "auto" && tcBatch is null);
}
