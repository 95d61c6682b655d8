using Sched.Fast.Qdiscs.Ingress;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Clsact;

/// <summary>clsact: tc/q_clsact.c (no options, prints nothing) and sch_ingress.c clsact_init() (parent ffff:fff1 only).</summary>
public sealed class ClsactKind : QdiscKind
{
    public override string Name => "clsact";

    public override bool IsClassful => true;

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        if (args.HasMore) throw new TcException($"What is \"{args.Current}\"?\nUsage: ... clsact", 1, args.Current);
        return null;
    }

    public override void PrintOptions(TcWriter w, QdiscSpec spec) { }

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context)
    {
        if (context.Parent != TcHandle.Ingress) throw TcException.Errno(Errno.EOPNOTSUPP);
        return new ClsactQdisc(context);
    }
}
