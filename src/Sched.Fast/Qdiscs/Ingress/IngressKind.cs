using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Ingress;

/// <summary>
/// ingress: tc/q_ingress.c (accepts and ignores "handle X", prints a row of dashes) and sch_ingress.c's
/// ingress_init() (only at parent ffff:fff1, otherwise EOPNOTSUPP).
/// </summary>
public sealed class IngressKind : QdiscKind
{
    public override string Name => "ingress";

    public override bool IsClassful => true;

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        while (args.HasMore)
        {
            if (args.Is("handle"))
            {
                args.NextArg();
                args.Advance();
            }
            else
            {
                throw new TcException($"What is \"{args.Current}\"?\nUsage: ... ingress", 1, args.Current);
            }
        }
        return null;
    }

    public override void PrintOptions(TcWriter w, QdiscSpec spec) =>
        w.String(PrintTarget.Plain, null, "---------------- ", null);

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context)
    {
        if (context.Parent != TcHandle.Ingress) throw TcException.Errno(Errno.EOPNOTSUPP);
        return new IngressQdisc(context);
    }
}
