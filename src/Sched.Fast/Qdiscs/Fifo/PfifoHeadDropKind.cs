namespace Sched.Fast.Qdiscs.Fifo;

public sealed class PfifoHeadDropKind : FifoKind
{
    public override string Name => "pfifo_head_drop";
    protected override bool LimitIsBytes => false;
    protected override Qdisc CreateQdisc(QdiscContext context, uint limit) => new PfifoHeadDropQdisc(context, limit);
}
