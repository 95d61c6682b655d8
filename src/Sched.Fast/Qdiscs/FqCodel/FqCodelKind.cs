using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.FqCodel;

/// <summary>
/// fq_codel's two halves: tc/q_fq_codel.c (iproute2 6.1: limit, flows, target, interval, quantum, [no]ecn,
/// ce_threshold, ce_threshold_selector VALUE/MASK, memory_limit, drop_batch) and fq_codel_init()'s defaults
/// (limit 10240 packets, 1024 flows, quantum psched_mtu, target 5 ms, interval 100 ms, ECN on, memory_limit
/// 32 MB, drop_batch 64).
/// </summary>
public sealed class FqCodelKind : QdiscKind
{
    internal const string Usage =
        "Usage: ... fq_codel\t[ limit PACKETS ] [ flows NUMBER ]\n" +
        "[ memory_limit BYTES ]\n" +
        "[ target TIME ] [ interval TIME ]\n" +
        "[ quantum BYTES ] [ [no]ecn ]\n" +
        "[ ce_threshold TIME ]\n" +
        "[ ce_threshold_selector VALUE/MASK ]\n" +
        "[ drop_batch SIZE ]";

    public override string Name => "fq_codel";

    /// <summary>The kernel gives fq_codel class operations (its flows show as classes; filters attach to it).</summary>
    public override bool IsClassful => true;

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        uint dropBatch = 0, limit = 0, flows = 0, target = 0, interval = 0, quantum = 0;
        uint ceThreshold = ~0U, memory = ~0U;
        byte ceMask = 0, ceSelector = 0xFF;
        int ecn = -1;
        while (args.HasMore)
        {
            if (args.Is("limit")) limit = Unsigned(args, "limit");
            else if (args.Is("flows")) flows = Unsigned(args, "flows");
            else if (args.Is("quantum")) quantum = Unsigned(args, "quantum");
            else if (args.Is("drop_batch")) dropBatch = Unsigned(args, "drop_batch");
            else if (args.Is("target")) target = Time(args, "target");
            else if (args.Is("ce_threshold")) ceThreshold = Time(args, "ce_threshold");
            else if (args.Is("ce_threshold_selector"))
            {
                string v = args.NextArg();
                int slash = v.IndexOf('/');
                if (slash < 0) throw new TcException("Missing mask for \"ce_threshold_selector\"", 1, v);
                if (!TcValues.TryGetU8(v[(slash + 1)..], 0, out ceMask))
                    throw new TcException("Illegal mask for \"ce_threshold_selector\"", 1, v);
                if (!TcValues.TryGetU8(v[..slash], 0, out ceSelector))
                    throw TcException.Illegal("ce_threshold_selector", v);
            }
            else if (args.Is("memory_limit"))
            {
                string v = args.NextArg();
                if (!TcUnits.TryParseSize(v, out memory)) throw TcException.Illegal("memory_limit", v);
            }
            else if (args.Is("interval")) interval = Time(args, "interval");
            else if (args.Is("ecn")) ecn = 1;
            else if (args.Is("noecn")) ecn = 0;
            else if (args.Is("help")) throw new TcException(Usage);
            else throw new TcException($"What is \"{args.Current}\"?\n{Usage}", 1, args.Current);
            args.Advance();
        }
        bool selector = ceSelector != 0xFF;
        return new FqCodelSpec(
            limit != 0 ? limit : null,
            flows != 0 ? flows : null,
            quantum != 0 ? quantum : null,
            target != 0 ? target : null,
            interval != 0 ? interval : null,
            ecn != -1 ? ecn == 1 : null,
            ceThreshold != ~0U ? ceThreshold : null,
            selector ? ceSelector : null,
            selector ? ceMask : null,
            memory != ~0U ? memory : null,
            dropBatch != 0 ? dropBatch : null);
    }

    private static uint Unsigned(TcArgs args, string name)
    {
        string v = args.NextArg();
        if (!TcValues.TryGetU32(v, 0, out uint value)) throw TcException.Illegal(name, v);
        return value;
    }

    private static uint Time(TcArgs args, string name)
    {
        string v = args.NextArg();
        if (!TcUnits.TryParseTimeUs(v, out uint value)) throw TcException.Illegal(name, v);
        return value;
    }

    public override void PrintOptions(TcWriter w, QdiscSpec spec)
    {
        var s = (FqCodelSpec)spec;
        if (s.Limit is { } limit) w.Uint(PrintTarget.Any, "limit", "limit %up ", limit);
        if (s.Flows is { } flows) w.Uint(PrintTarget.Any, "flows", "flows %u ", flows);
        if (s.Quantum is { } quantum) w.Uint(PrintTarget.Any, "quantum", "quantum %u ", quantum);
        if (s.TargetUs is { } target) w.TimeUs(PrintTarget.Any, "target", "target %s ", target);
        if (s.CeThresholdUs is { } ce) w.TimeUs(PrintTarget.Any, "ce_threshold", "ce_threshold %s ", ce);
        byte selector = s.CeThresholdSelector ?? 0, mask = s.CeThresholdMask ?? 0;
        if (mask != 0 || selector != 0)
        {
            w.Uint(PrintTarget.Any, "ce_threshold_selector", "ce_threshold_selector %#x", selector);
            w.Uint(PrintTarget.Any, "ce_threshold_mask", "/%#x ", mask);
        }
        if (s.IntervalUs is { } interval) w.TimeUs(PrintTarget.Any, "interval", "interval %s ", interval);
        if (s.MemoryLimit is { } memory) w.Size(PrintTarget.Any, "memory_limit", "memory_limit %s ", memory);
        if (s.Ecn == true) w.Bool(PrintTarget.Any, "ecn", "ecn ", true);
        if (s.DropBatch is { } batch and not 0) w.Uint(PrintTarget.Any, "drop_batch", "drop_batch %u ", batch);
    }

    /// <summary>fq_codel_print_xstats(): the qdisc's counters, or a flow's (class) state.</summary>
    public override void PrintXstats(TcWriter w, object xstats)
    {
        if (xstats is FqCodelClassXstats cl)
        {
            PrintClassXstats(w, cl);
            return;
        }
        if (xstats is not FqCodelXstats st) return;
        w.Uint(PrintTarget.Any, "maxpacket", "  maxpacket %u", st.MaxPacket);
        w.Uint(PrintTarget.Any, "drop_overlimit", " drop_overlimit %u", st.DropOverlimit);
        w.Uint(PrintTarget.Any, "new_flow_count", " new_flow_count %u", st.NewFlowCount);
        w.Uint(PrintTarget.Any, "ecn_mark", " ecn_mark %u", st.EcnMark);
        if (st.CeMark != 0) w.Uint(PrintTarget.Any, "ce_mark", " ce_mark %u", st.CeMark);
        if (st.MemoryUsage != 0) w.Uint(PrintTarget.Any, "memory_used", " memory_used %u", st.MemoryUsage);
        if (st.DropOvermemory != 0) w.Uint(PrintTarget.Any, "drop_overmemory", " drop_overmemory %u", st.DropOvermemory);
        w.Newline();
        w.Uint(PrintTarget.Any, "new_flows_len", "  new_flows_len %u", st.NewFlowsLen);
        w.Uint(PrintTarget.Any, "old_flows_len", " old_flows_len %u", st.OldFlowsLen);
    }

    public override void PrintClassXstats(TcWriter w, object xstats)
    {
        if (xstats is not FqCodelClassXstats st) return;
        w.Int(PrintTarget.Any, "deficit", "  deficit %d", st.Deficit);
        w.Uint(PrintTarget.Any, "count", " count %u", st.Count);
        w.Uint(PrintTarget.Any, "lastcount", " lastcount %u", st.LastCount);
        w.TimeUs(PrintTarget.Any, "ldelay", " ldelay %s", st.LdelayUs);
        if (st.Dropping)
        {
            w.Bool(PrintTarget.Any, "dropping", " dropping", true);
            w.Int(PrintTarget.Json, "drop_next", null, st.DropNextUs);
            if (st.DropNextUs < 0)
                w.String(PrintTarget.Plain, null, " drop_next -%s", TcUnits.FormatTimeUs((uint)-st.DropNextUs));
            else
                w.String(PrintTarget.Plain, null, " drop_next %s", TcUnits.FormatTimeUs((uint)st.DropNextUs));
        }
    }

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context) =>
        new FqCodelQdisc(context, (FqCodelSpec?)spec);
}
