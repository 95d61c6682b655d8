using Sched.Fast.Qdiscs.Prio;
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

    public override void PrintOptions(TcWriter w, QdiscSpec spec) => PrioKind.PrintPrio(w, (PrioSpec)spec);

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context) => new PfifoFastQdisc(context);
}
