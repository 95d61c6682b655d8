using Sched.Fast.Qdiscs;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tc.Show;

/// <summary>
/// tc/tc_util.c print_tcstats2_attr(): the "-s" lines of a qdisc or class, from TCA_STATS2 (basic counters, the
/// rate estimate when an estimator runs, the queue counters), call for call so plain and JSON output match tc.
/// </summary>
public static class StatsPrinter
{
    /// <param name="basic">False when there is no TCA_STATS_BASIC (sfq and fq_codel flows): no "Sent" part.</param>
    public static void Print(TcWriter w, QdiscStats stats, (ulong Bps, ulong Pps)? rate, string prefix, bool basic = true)
    {
        if (basic)
        {
            w.String(PrintTarget.Plain, null, "%s", prefix);
            w.Uint(PrintTarget.Any, "bytes", "Sent %llu bytes", stats.Bytes);
            w.Uint(PrintTarget.Any, "packets", " %u pkt", stats.Packets);
        }
        w.Uint(PrintTarget.Any, "drops", " (dropped %u", stats.Drops);
        w.Uint(PrintTarget.Any, "overlimits", ", overlimits %u", stats.Overlimits);
        w.Uint(PrintTarget.Any, "requeues", " requeues %u) ", stats.Requeues);

        if (rate is { } r)
        {
            // A literal newline, not print_nl(): -oneline does not fold it.
            w.String(PrintTarget.Plain, null, "\n%s", prefix);
            w.Uint(PrintTarget.Json, "rate", null, r.Bps);
            w.Rate(PrintTarget.Plain, null, "rate %s", r.Bps);
            w.Uint(PrintTarget.Any, "pps", " %llupps", r.Pps);
        }
        else
        {
            w.Newline();
        }
        w.String(PrintTarget.Plain, null, "%s", prefix);
        w.Size(PrintTarget.Any, "backlog", "backlog %s", stats.Backlog);
        w.Uint(PrintTarget.Any, "qlen", " %up", (uint)stats.Qlen);
        w.Uint(PrintTarget.Plain, null, " requeues %u", stats.Requeues);
    }
}
