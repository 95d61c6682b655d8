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

    /// <summary>tc/q_fifo.c's pfifo_fast_qdisc_util has no parse_qopt: tc sends no options and refuses words.</summary>
    public override bool HasOptionParser => false;

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context) => null;

    /// <summary>tc/tc.c parse_noqopt()'s message for a kind tc has no parser for.</summary>
    public static TcException UnknownKindOption(string kind, string word) =>
        new($"Unknown qdisc \"{kind}\", hence option \"{word}\" is unparsable", 1, word);

    public override void PrintOptions(TcWriter w, QdiscSpec spec) => PrintPrio(w, (PrioSpec)spec);

    /// <summary>
    /// q_prio.c prio_print_opt(): "bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1", " multiqueue: on " when the
    /// kernel dumped TCA_PRIO_MQ, and "multiqueue" as a JSON boolean always.
    /// </summary>
    public static void PrintPrio(TcWriter w, PrioSpec spec, bool? multiqueue = null)
    {
        w.Uint(PrintTarget.Any, "bands", "bands %u ", (uint)spec.Bands);
        w.OpenArray(PrintTarget.Any, "priomap", "priomap");
        foreach (byte band in spec.Priomap) w.Uint(PrintTarget.Any, null, " %d", band);
        w.CloseArray(PrintTarget.Any, "");
        if (multiqueue is { } mq) w.String(PrintTarget.Plain, null, " multiqueue: %s ", mq ? "on" : "off");
        w.Bool(PrintTarget.Json, "multiqueue", null, multiqueue ?? false);
    }

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context) => new PfifoFastQdisc(context);
}
