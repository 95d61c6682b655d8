using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Prio;

/// <summary>
/// prio's two halves: tc/q_prio.c (bands NUMBER, priomap P1 P2 ... replacing the default map from the first
/// entry on, multiqueue accepted and ignored by Linux 6.1) and sch_prio.c's prio_tune() (2 to 16 bands, every
/// priomap entry below bands, a pfifo child per band).
/// </summary>
public sealed class PrioKind : QdiscKind
{
    internal const string Usage = "Usage: ... prio bands NUMBER priomap P1 P2...[multiqueue]";

    public override string Name => "prio";

    public override bool IsClassful => true;

    /// <summary>prio_parse_opt(): tc always sends a full tc_prio_qopt (3 bands and the default map unless given).</summary>
    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        bool pmapMode = false;
        int idx = 0;
        int bands = 3;
        byte[] priomap = (byte[])PrioSpec.DefaultPriomap.Clone();
        while (args.HasMore)
        {
            if (args.Is("bands"))
            {
                if (pmapMode) context.Warn(Usage); // explain(), then carry on
                string v = args.NextArg();
                if (!TcValues.TryGetInteger(v, 10, out bands)) throw TcException.Illegal("bands", v);
            }
            else if (args.Is("priomap"))
            {
                if (pmapMode) throw new TcException("Error: duplicate priomap");
                pmapMode = true;
            }
            else if (args.Is("multiqueue"))
            {
                // TCA_PRIO_MQ: Linux 6.1's prio ignores it
            }
            else if (args.Is("help"))
            {
                throw new TcException(Usage);
            }
            else
            {
                string word = args.Current;
                if (!pmapMode) throw new TcException($"What is \"{word}\"?\n{Usage}", 1, word);
                if (!TcValues.TryGetU32(word, 10, out uint band))
                    throw new TcException("Illegal \"priomap\" element", 1, word);
                if (band >= (uint)bands) throw new TcException("\"priomap\" element is out of bands", 1, word);
                if (idx > PrioSpec.PrioMax)
                    throw new TcException($"\"priomap\" index > TC_PRIO_MAX={PrioSpec.PrioMax}", 1, word);
                priomap[idx++] = (byte)band;
            }
            args.Advance();
        }
        return new PrioSpec(bands, priomap);
    }

    public override void PrintOptions(TcWriter w, QdiscSpec spec) => PrintPrio(w, (PrioSpec)spec);

    /// <summary>
    /// q_prio.c prio_print_opt(), shared with pfifo_fast: "bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1", and in
    /// JSON a "multiqueue" false (the kernel never dumps TCA_PRIO_MQ).
    /// </summary>
    public static void PrintPrio(TcWriter w, PrioSpec spec)
    {
        w.Uint(PrintTarget.Any, "bands", "bands %u ", (uint)spec.Bands);
        w.OpenArray(PrintTarget.Any, "priomap", "priomap");
        foreach (byte band in spec.Priomap) w.Uint(PrintTarget.Any, null, " %d", band);
        w.CloseArray(PrintTarget.Any, "");
        w.Bool(PrintTarget.Json, "multiqueue", null, false);
    }

    /// <summary>prio_init(): options are mandatory.</summary>
    public override Qdisc Create(QdiscSpec? spec, QdiscContext context)
    {
        if (spec is not PrioSpec s) throw PrioQdisc.Einval();
        return new PrioQdisc(context, s);
    }
}
