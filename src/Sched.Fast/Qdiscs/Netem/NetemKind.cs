using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// netem's two halves: iproute2's tc/q_netem.c (<see cref="NetemOptionParser"/>, <see cref="NetemOptionPrinter"/>;
/// netem has no xstats) and the kernel's sch_netem.c netem_init() (<see cref="NetemQdisc"/>). netem is classful:
/// class 1 holds an optional child qdisc; its class has no options (tc has no netem class parser: the base's
/// "classless" error is tc's).
/// </summary>
public sealed class NetemKind : QdiscKind
{
    public override string Name => "netem";

    public override bool IsClassful => true;

    /// <summary>tc always sends netem options, at least the default limit of 1000.</summary>
    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context) => NetemOptionParser.Parse(args, context);

    public override void PrintOptions(TcWriter w, QdiscSpec spec) => NetemOptionPrinter.Print(w, (NetemSpec)spec);

    /// <summary>
    /// netem_init(): the kernel refuses a netem without options (EINVAL, no message); tc never sends one.
    /// </summary>
    public override Qdisc Create(QdiscSpec? spec, QdiscContext context)
    {
        if (spec is null) throw TcException.Errno(Errno.EINVAL);
        if (spec is not NetemSpec netem) throw new ArgumentException("netem expects netem options", nameof(spec));
        return NetemQdisc.Create(netem, context);
    }
}
