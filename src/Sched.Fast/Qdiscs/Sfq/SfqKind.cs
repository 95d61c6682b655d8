using Sched.Fast.Aqm.Red;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Sfq;

/// <summary>
/// sfq's two halves: tc/q_sfq.c (iproute2 6.1: limit, perturb, quantum, divisor, flows, depth, headdrop, and
/// redflowlimit with min, max, avpkt, burst, probability, ecn, harddrop, computing Wlog/Plog/max_P as tc_red.c
/// does) and sfq_init()'s defaults (limit 127, depth 127, 128 flows, divisor 1024, quantum psched_mtu).
/// </summary>
public sealed class SfqKind : QdiscKind
{
    internal const string Usage =
        "Usage: ... sfq\t[ limit NUMBER ] [ perturb SECS ] [ quantum BYTES ]\n" +
        "\t\t[ divisor NUMBER ] [ flows NUMBER] [ depth NUMBER ]\n" +
        "\t\t[ headdrop ]\n" +
        "\t\t[ redflowlimit BYTES ] [ min BYTES ] [ max BYTES ]\n" +
        "\t\t[ avpkt BYTES ] [ burst PACKETS ] [ probability P ]\n" +
        "\t\t[ ecn ] [ harddrop ]";

    public override string Name => "sfq";

    /// <summary>The kernel gives sfq class operations (its buckets show as classes; filters attach to it).</summary>
    public override bool IsClassful => true;

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        bool ok = false, red = false;
        uint quantum = 0, limit = 0, divisor = 0, flows = 0, depth = 0, redLimit = 0, qthMin = 0, qthMax = 0;
        int perturb = 0;
        bool headdrop = false;
        RedFlags flags = RedFlags.None;
        uint burst = 0, avpkt = 1000;
        double probability = 0.02;
        while (args.HasMore)
        {
            if (args.Is("quantum"))
            {
                string v = args.NextArg();
                // q_sfq.c reports a bad quantum as an illegal "limit"
                if (!TcUnits.TryParseSize(v, out quantum)) throw TcException.Illegal("limit", v);
                ok = true;
            }
            else if (args.Is("perturb"))
            {
                string v = args.NextArg();
                if (!TcValues.TryGetInteger(v, 0, out perturb)) throw TcException.Illegal("perturb", v);
                ok = true;
            }
            else if (args.Is("limit"))
            {
                string v = args.NextArg();
                if (!TcValues.TryGetU32(v, 0, out limit)) throw TcException.Illegal("limit", v);
                if (limit < 2) throw new TcException("Illegal \"limit\", must be > 1", 1, v);
                ok = true;
            }
            else if (args.Is("divisor"))
            {
                divisor = U32(args, "divisor");
                ok = true;
            }
            else if (args.Is("flows"))
            {
                flows = U32(args, "flows");
                ok = true;
            }
            else if (args.Is("depth"))
            {
                depth = U32(args, "flows"); // sic: q_sfq.c names "flows" here
                ok = true;
            }
            else if (args.Is("headdrop"))
            {
                headdrop = true;
                ok = true;
            }
            else if (args.Is("redflowlimit"))
            {
                redLimit = U32(args, "redflowlimit");
                red = true;
            }
            else if (args.Is("min"))
            {
                qthMin = U32(args, "min");
                red = true;
            }
            else if (args.Is("max"))
            {
                qthMax = U32(args, "max");
                red = true;
            }
            else if (args.Is("burst"))
            {
                burst = U32(args, "burst");
                red = true;
            }
            else if (args.Is("avpkt"))
            {
                string v = args.NextArg();
                if (!TcUnits.TryParseSize(v, out avpkt)) throw TcException.Illegal("avpkt", v);
                red = true;
            }
            else if (args.Is("probability"))
            {
                string v = args.NextArg();
                if (!TcUnits.TryStrtod(v, out probability, out _)) throw TcException.Illegal("probability", v);
                red = true;
            }
            else if (args.Is("ecn"))
            {
                flags |= RedFlags.Ecn;
                red = true;
            }
            else if (args.Is("harddrop"))
            {
                flags |= RedFlags.HardDrop;
                red = true;
            }
            else if (args.Is("help")) throw new TcException(Usage);
            else throw new TcException($"What is \"{args.Current}\"?\n{Usage}", 1, args.Current);
            args.Advance();
        }

        byte wlog = 0, plog = 0;
        uint maxP = 0;
        if (red)
        {
            if (redLimit == 0) throw new TcException("Required parameter (redflowlimit) is missing");
            // Default thresholds from Sally Floyd's recommendations (REDparameters.txt).
            if (qthMax == 0) qthMax = redLimit / 4;
            if (qthMin == 0) qthMin = qthMax / 3;
            if (burst == 0) burst = (2 * qthMin + qthMax) / (3 * avpkt);
            if (qthMax > redLimit) throw new TcException("\"max\" is larger than \"limit\"");
            if (qthMin >= qthMax) throw new TcException("\"min\" is not smaller than \"max\"");
            int w = TcRed.EvalEwma(qthMin, burst, avpkt, out string? why);
            if (w < 0)
                throw new TcException((why is null ? "" : why + "\n") + "SFQ: failed to calculate EWMA constant.");
            if (w >= 10) context.Warn($"SFQ: WARNING. Burst {burst} seems to be too large.");
            wlog = (byte)w;
            int p = TcRed.EvalP(qthMin, qthMax, probability);
            if (p < 0) throw new TcException("SFQ: failed to calculate probability.");
            plog = (byte)p;
            maxP = TcRed.ProbabilityToMaxP(probability);
        }
        if (!ok && !red) return null;
        return new SfqSpec(quantum, perturb, limit, divisor, flows, depth, headdrop, redLimit, qthMin, qthMax,
            wlog, plog, 0, flags, maxP);
    }

    private static uint U32(TcArgs args, string name)
    {
        string v = args.NextArg();
        if (!TcValues.TryGetU32(v, 0, out uint value)) throw TcException.Illegal(name, v);
        return value;
    }

    /// <summary>sfq_print_opt().</summary>
    public override void PrintOptions(TcWriter w, QdiscSpec spec)
    {
        var s = (SfqSpec)spec;
        w.Uint(PrintTarget.Any, "limit", "limit %up ", s.Limit);
        w.Size(PrintTarget.Any, "quantum", "quantum %s ", s.Quantum);
        if (s.Depth != 0) w.Uint(PrintTarget.Any, "depth", "depth %u ", s.Depth);
        if (s.Headdrop) w.Bool(PrintTarget.Any, "headdrop", "headdrop ", true);
        if (w.Options.ShowDetails) w.Uint(PrintTarget.Any, "flows", "flows %u ", s.Flows);
        w.Uint(PrintTarget.Any, "divisor", "divisor %u ", s.Divisor);
        if (s.PerturbPeriod != 0) w.Int(PrintTarget.Any, "perturb", "perturb %dsec ", s.PerturbPeriod);
        if (s.QthMin == 0) return;
        w.Uint(PrintTarget.Any, "ewma", "ewma %u ", s.Wlog);
        w.Size(PrintTarget.Any, "min", "min %s ", s.QthMin);
        w.Size(PrintTarget.Any, "max", "max %s ", s.QthMax);
        w.Float(PrintTarget.Any, "probability", "probability %lg ", s.MaxP / 4294967296.0);
        TcRed.PrintFlags(w, s.Flags);
        if (w.Options.ShowStats == 0) return;
        w.Newline();
        w.Uint(PrintTarget.Any, "prob_mark", "  prob_mark %u", s.Stats.ProbMark);
        w.Uint(PrintTarget.Any, "prob_mark_head", " prob_mark_head %u", s.Stats.ProbMarkHead);
        w.Uint(PrintTarget.Any, "prob_drop", " prob_drop %u", s.Stats.ProbDrop);
        w.Newline();
        w.Uint(PrintTarget.Any, "forced_mark", "  forced_mark %u", s.Stats.ForcedMark);
        w.Uint(PrintTarget.Any, "forced_mark_head", " forced_mark_head %u", s.Stats.ForcedMarkHead);
        w.Uint(PrintTarget.Any, "forced_drop", " forced_drop %u", s.Stats.ForcedDrop);
    }

    /// <summary>sfq_print_xstats(): a bucket's allot (sfq dumps xstats for classes only).</summary>
    public override void PrintXstats(TcWriter w, object xstats)
    {
        if (xstats is SfqXstats st) w.Int(PrintTarget.Any, "allot", "  allot %d", st.Allot);
    }

    public override void PrintClassXstats(TcWriter w, object xstats) => PrintXstats(w, xstats);

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context) => new SfqQdisc(context, (SfqSpec?)spec);
}
