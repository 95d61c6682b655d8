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

    /// <summary>tc/q_fifo.c's pfifo_fast_qdisc_util has no parse_qopt: tc sends no options and refuses words.</summary>
    public override bool HasOptionParser => false;

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context) => null;

    /// <summary>tc/tc.c parse_noqopt()'s message for a kind tc has no parser for.</summary>
    public static TcException UnknownKindOption(string kind, string word) =>
        new($"Unknown qdisc \"{kind}\", hence option \"{word}\" is unparsable", 1, word);

    public override void PrintOptions(TcWriter w, QdiscSpec spec) => PrioKind.PrintPrio(w, (PrioSpec)spec);

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context) => new PfifoFastQdisc(context);
}
