using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>
/// A test parent: a classful qdisc with one class whose leaf gets every packet, counting the way kernel parents do
/// (qlen and backlog on success; a drop when the child's result is not success and not stolen). It lets the tests
/// see what netem does to its ancestors: duplicates entering at the root, backlog corrections.
/// </summary>
internal sealed class SingleClassParentQdisc : ClassfulQdisc
{
    private readonly LeafClass _class;

    public SingleClassParentQdisc(QdiscContext context) : base(context) => _class = new LeafClass(Handle | 1, Handle);

    public int EnqueueCalls { get; private set; }

    public override string Kind => "testparent";

    public Qdisc? Leaf
    {
        get => _class.LeafQdisc;
        set
        {
            _class.LeafQdisc = value;
            if (value is not null) value.ParentQdisc = this;
        }
    }

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        EnqueueCalls++;
        int length = packet.QdiscLength;
        EnqueueResult r = Leaf!.Enqueue(packet, now);
        if (r != EnqueueResult.Success)
        {
            if (r.CountsAsDrop()) Stats.Drops++;
            return r;
        }
        Stats.Backlog += (uint)length;
        Stats.Qlen++;
        return r;
    }

    protected override Packet? DequeueCore(TimeNs now)
    {
        Packet? p = Leaf!.Dequeue(now);
        if (p is not null) CountDequeued(p);
        return p;
    }

    protected override void ResetCore() => Leaf?.Reset();

    public override QdiscSpec Dump() => throw new NotSupportedException();

    public override QdiscClass? FindClass(uint classId) => _class;

    public override IEnumerable<QdiscClass> WalkClasses() => [_class];

    public override Qdisc Graft(QdiscClass cl, Qdisc? newLeaf) => throw new NotSupportedException();

    public override void AssertInvariants()
    {
        base.AssertInvariants();
        Assert.Equal(Leaf!.QueueLength, Stats.Qlen);
        Assert.Equal(Leaf.BacklogBytes, Stats.Backlog);
    }

    private sealed class LeafClass(uint classId, uint parent) : QdiscClass(classId, parent)
    {
        public Qdisc? LeafQdisc;
        public override Qdisc? Leaf => LeafQdisc;
        public override ClassSpec? Dump() => null;
    }
}
