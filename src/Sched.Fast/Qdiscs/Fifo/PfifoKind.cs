namespace Sched.Fast.Qdiscs.Fifo;

public sealed class PfifoKind : FifoKind
{
    public override string Name => "pfifo";
    protected override bool LimitIsBytes => false;
    protected override Qdisc CreateQdisc(QdiscContext context, uint limit) => new PfifoQdisc(context, limit);
}
