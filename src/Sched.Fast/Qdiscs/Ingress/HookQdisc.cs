using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Ingress;

/// <summary>
/// What ingress and clsact share (net/sched/sch_ingress.c): no queue, no classes to list, only filter blocks at the
/// device's hooks (TCQ_F_INGRESS). They live at parent ffff:fff1 with handle ffff: and cannot be grafted
/// elsewhere. The datapath runs their blocks (sch_handle_ingress / sch_handle_egress); nothing is ever enqueued.
/// A block index (tc qdisc add ... ingress_block N) makes a block shared between qdiscs.
/// </summary>
public abstract class HookQdisc : ClassfulQdisc
{
    protected HookQdisc(QdiscContext context) : base(context) { }

    /// <summary>The block index tc gave with ingress_block (0: a private block).</summary>
    public uint IngressBlockIndex { get; internal set; }

    /// <summary>The block index tc gave with egress_block (clsact only; 0: a private block).</summary>
    public uint EgressBlockIndex { get; internal set; }

    /// <summary>The filters run on packets received by the device.</summary>
    public abstract FilterBlock IngressBlock { get; }

    /// <summary>Whether the ingress block is shared by index with other qdiscs.</summary>
    public bool IsIngressBlockShared => IngressBlockIndex != 0;

    public bool IsEgressBlockShared => EgressBlockIndex != 0;

    /// <summary>Replaces a block by the shared one of its index (tcf_block_get_ext() with a block_index).</summary>
    internal abstract void ShareBlock(bool egress, uint index, FilterBlock block);

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        // Nothing queues at a hook; a caller that enqueues here made a mistake, and the packet is dropped.
        return DropPacket(packet);
    }

    protected override Packet? DequeueCore(TimeNs now) => null;

    protected override void ResetCore() { }

    public override QdiscSpec Dump() => IngressSpec.Instance;

    /// <summary>A destroyed hook flushes its private block; a shared one goes with its last user (tc-filters).</summary>
    protected override void FlushFilters()
    {
        if (!IsIngressBlockShared) IngressBlock.Flush();
    }

    /// <summary>ingress_walk(): no classes to list.</summary>
    public override IEnumerable<QdiscClass> WalkClasses() => [];

    /// <summary>No cops->graft: a hook holds no leaf.</summary>
    public override Qdisc Graft(QdiscClass cl, Qdisc? newLeaf) => throw TcException.Errno(Errno.EOPNOTSUPP);

    /// <summary>A class id as the hook's find() answers it: a handle for the block, never listed.</summary>
    protected sealed class HookClass(uint classId, uint qdiscHandle) : QdiscClass(classId, qdiscHandle)
    {
        public override Qdisc? Leaf => null;
        public override ClassSpec? Dump() => null;
    }
}
