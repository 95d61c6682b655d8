namespace Sched.Fast.Qdiscs.Fifo;

public sealed class BfifoKind : FifoKind
{
    public override string Name => "bfifo";
    protected override bool LimitIsBytes => true;
    protected override Qdisc CreateQdisc(QdiscContext context, uint limit) => new BfifoQdisc(context, limit);
}
