using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.PfifoFast;

/// <summary>
/// pfifo_fast: iproute2 parses and prints it with prio's code (tc/q_prio.c); the kernel ignores any options and
/// always dumps three bands with the default priomap.
/// </summary>
public sealed class PfifoFastKind : QdiscKind
{
    public override string Name => "pfifo_fast";

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        // q_prio.c prio_parse_opt() accepts bands/priomap; sch_generic.c pfifo_fast_init() ignores them.
        while (args.HasMore) args.Advance();
        return null;
    }

    public override void PrintOptions(TcWriter w, QdiscSpec spec) => PrintPrio(w, (PrioSpec)spec);

    /// <summary>q_prio.c prio_print_opt(): "bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1".</summary>
    public static void PrintPrio(TcWriter w, PrioSpec spec)
    {
        w.Uint(PrintTarget.Any, "bands", "bands %u ", (uint)spec.Bands);
        w.OpenArray(PrintTarget.Any, "priomap", "priomap");
        foreach (byte band in spec.Priomap) w.Uint(PrintTarget.Any, null, " %d", band);
        w.CloseArray(PrintTarget.Any, "");
    }

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context) => new PfifoFastQdisc(context);
}
