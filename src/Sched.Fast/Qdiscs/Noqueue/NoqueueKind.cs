using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Noqueue;

/// <summary>noqueue: no options to parse or print.</summary>
public sealed class NoqueueKind : QdiscKind
{
    public override string Name => "noqueue";

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        if (args.HasMore) throw new TcException($"noqueue: unknown parameter \"{args.Current}\"", 1, args.Current);
        return null;
    }

    public override void PrintOptions(TcWriter w, QdiscSpec spec) { }

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context) => new NoqueueQdisc(context);
}
