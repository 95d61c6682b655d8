using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Noqueue;

/// <summary>noqueue: no options to parse or print.</summary>
public sealed class NoqueueKind : QdiscKind
{
    public override string Name => "noqueue";

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        // iproute2 has no q_noqueue.c: parse_noqopt() refuses any word.
        if (args.HasMore) throw PfifoFast.PfifoFastKind.UnknownKindOption(Name, args.Current);
        return null;
    }

    public override void PrintOptions(TcWriter w, QdiscSpec spec) { }

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context) => new NoqueueQdisc(context);
}
