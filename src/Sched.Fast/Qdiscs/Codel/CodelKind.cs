using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Codel;

/// <summary>
/// codel's two halves: tc/q_codel.c (limit, target, interval, ecn|noecn, ce_threshold; zero values are not sent)
/// and sch_codel.c's init (limit 1000 packets, target 5 ms, interval 100 ms, no ECN, MTU = psched_mtu()).
/// </summary>
public sealed class CodelKind : QdiscKind
{
    public const uint DefaultLimit = 1000; // DEFAULT_CODEL_LIMIT

    internal const string Usage =
        "Usage: ... codel [ limit PACKETS ] [ target TIME ]\n" +
        "\t\t [ interval TIME ] [ ecn | noecn ]\n" +
        "\t\t [ ce_threshold TIME ]";

    public override string Name => "codel";

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        uint limit = 0, target = 0, interval = 0, ceThreshold = ~0U;
        int ecn = -1;
        while (args.HasMore)
        {
            if (args.Is("limit"))
            {
                string v = args.NextArg();
                if (!TcValues.TryGetU32(v, 0, out limit)) throw TcException.Illegal("limit", v);
            }
            else if (args.Is("target"))
            {
                string v = args.NextArg();
                if (!TcUnits.TryParseTimeUs(v, out target)) throw TcException.Illegal("target", v);
            }
            else if (args.Is("ce_threshold"))
            {
                string v = args.NextArg();
                if (!TcUnits.TryParseTimeUs(v, out ceThreshold)) throw TcException.Illegal("ce_threshold", v);
            }
            else if (args.Is("interval"))
            {
                string v = args.NextArg();
                if (!TcUnits.TryParseTimeUs(v, out interval)) throw TcException.Illegal("interval", v);
            }
            else if (args.Is("ecn")) ecn = 1;
            else if (args.Is("noecn")) ecn = 0;
            else if (args.Is("help")) throw new TcException(Usage);
            else throw new TcException($"What is \"{args.Current}\"?\n{Usage}", 1, args.Current);
            args.Advance();
        }
        // codel_parse_opt() always sends TCA_OPTIONS, with only the attributes that were given (non-zero).
        return new CodelSpec(
            limit != 0 ? limit : null,
            target != 0 ? target : null,
            interval != 0 ? interval : null,
            ecn != -1 ? ecn == 1 : null,
            ceThreshold != ~0U ? ceThreshold : null);
    }

    public override void PrintOptions(TcWriter w, QdiscSpec spec)
    {
        var s = (CodelSpec)spec;
        if (s.Limit is { } limit) w.Uint(PrintTarget.Any, "limit", "limit %up ", limit);
        if (s.TargetUs is { } target) w.TimeUs(PrintTarget.Any, "target", "target %s ", target);
        if (s.CeThresholdUs is { } ce) w.TimeUs(PrintTarget.Any, "ce_threshold", "ce_threshold %s ", ce);
        if (s.IntervalUs is { } interval) w.TimeUs(PrintTarget.Any, "interval", "interval %s ", interval);
        if (s.Ecn == true) w.Bool(PrintTarget.Any, "ecn", "ecn ", true);
    }

    public override void PrintXstats(TcWriter w, object xstats)
    {
        if (xstats is not CodelXstats st) return;
        w.Uint(PrintTarget.Any, "count", "  count %u", st.Count);
        w.Uint(PrintTarget.Any, "lastcount", " lastcount %u", st.LastCount);
        w.TimeUs(PrintTarget.Any, "ldelay", " ldelay %s", st.LdelayUs);
        if (st.Dropping) w.Bool(PrintTarget.Any, "dropping", " dropping", true);
        w.Int(PrintTarget.Json, "drop_next", null, st.DropNextUs);
        if (st.DropNextUs < 0)
            w.String(PrintTarget.Plain, null, " drop_next -%s", TcUnits.FormatTimeUs((uint)-st.DropNextUs));
        else
            w.String(PrintTarget.Plain, null, " drop_next %s", TcUnits.FormatTimeUs((uint)st.DropNextUs));
        w.Newline();
        w.Uint(PrintTarget.Any, "maxpacket", "  maxpacket %u", st.MaxPacket);
        w.Uint(PrintTarget.Any, "ecn_mark", " ecn_mark %u", st.EcnMark);
        w.Uint(PrintTarget.Any, "drop_overlimit", " drop_overlimit %u", st.DropOverlimit);
        if (st.CeMark != 0) w.Uint(PrintTarget.Any, "ce_mark", " ce_mark %u", st.CeMark);
    }

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context)
    {
        var q = new CodelQdisc(context);
        if (spec is not null) q.Change(spec);
        return q;
    }
}
