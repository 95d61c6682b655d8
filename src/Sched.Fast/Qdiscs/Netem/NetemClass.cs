namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// netem's only class, minor 1 (sch_netem.c netem_class_ops): the slot for an optional child qdisc that receives
/// packets as they become due. The kernel finds this class for any classid under the qdisc (netem_find() returns 1)
/// and lists it only while a child is attached. It has no options and no statistics of its own.
/// </summary>
public sealed class NetemClass : QdiscClass
{
    private readonly NetemQdisc _owner;

    internal NetemClass(NetemQdisc owner) : base(owner.Handle | 1, owner.Handle) => _owner = owner;

    public override Qdisc? Leaf => _owner.Child;

    public override ClassSpec? Dump() => null;

    /// <summary>netem_class_ops has no dump_stats: tc -s shows no counters for this class.</summary>
    public override bool HasStatistics => false;
}
