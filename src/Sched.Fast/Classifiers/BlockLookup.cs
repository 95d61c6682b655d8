using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Kernel;

namespace Sched.Fast.Classifiers;

/// <summary>
/// Finding the filter block a command names (net/sched/cls_api.c __tcf_qdisc_find(), __tcf_qdisc_cl_find(),
/// __tcf_block_find(); net/sched/sch_api.c qdisc_lookup()): the device, the qdisc by the parent's major (the root
/// qdisc when no parent is given), the class by the parent's minor, and that class's or qdisc's block.
/// </summary>
public static class BlockLookup
{
    /// <summary>TCM_IFINDEX_MAGIC_BLOCK: a request addressed to a shared block instead of a device.</summary>
    public const int MagicBlockIfIndex = unchecked((int)0xFFFFFFFF);

    /// <summary>qdisc_lookup(): the qdisc with <paramref name="handle"/> in the device's trees (egress and ingress).</summary>
    public static Qdisc? FindQdisc(NetDevice dev, uint handle)
    {
        Qdisc? q = dev.Root is { } root ? FindIn(root, handle) : null;
        if (q is not null) return q;
        return dev.Ingress is { } ingress && ingress.Handle == handle ? ingress : null;
    }

    private static Qdisc? FindIn(Qdisc q, uint handle)
    {
        if (q.Handle == handle) return q;
        if (q is not ClassfulQdisc cq) return null;
        foreach (QdiscClass cl in cq.WalkClasses())
        {
            if (cl.Leaf is { } leaf && !ReferenceEquals(leaf, q) && FindIn(leaf, handle) is { } found) return found;
        }
        return null;
    }

    /// <summary>
    /// tcf_block_find() for add, change, delete, get and chain commands: the block, the qdisc and class it
    /// belongs to (qdisc null for a shared block), and the effective parent (the root qdisc's handle when none was
    /// given). Errors are the kernel's.
    /// </summary>
    public static FilterBlock Find(FilterNamespace ns, int ifIndex, uint blockIndex, ref uint parent,
        out ClassfulQdisc? qdisc, out QdiscClass? cl)
    {
        cl = null;
        qdisc = null;
        if (ifIndex == MagicBlockIfIndex)
        {
            return ns.SharedBlockResolver?.Invoke(blockIndex) ??
                   throw KernelError.ExtAck("Block of given index was not found");
        }
        NetDevice dev = ns.Devices.Find(ifIndex) ?? throw KernelError.Errno(Errno.ENODEV);
        if (ns.BlockResolver is { } resolve)
        {
            FilterBlockTarget t = resolve(dev, parent);
            parent = t.Parent;
            qdisc = (ClassfulQdisc)t.Qdisc;
            cl = t.Class;
            t.Block.Owner ??= t.Qdisc;
            return t.Block;
        }
        Qdisc? q;
        if (parent == 0)
        {
            q = dev.Root;
            if (q is null) throw KernelError.ExtAck("Qdisc not classful");
            parent = q.Handle;
        }
        else
        {
            q = FindQdisc(dev, TcHandle.Major(parent)) ?? throw KernelError.ExtAck("Parent Qdisc doesn't exists");
        }
        if (q is not ClassfulQdisc cq) throw KernelError.ExtAck("Qdisc not classful");
        qdisc = cq;
        if (TcHandle.Minor(parent) != 0)
        {
            cl = cq.FindClass(parent) ?? throw KernelError.ExtAck("Specified class doesn't exist");
        }
        FilterBlock block = BlockOf(cq, cl) ?? throw KernelError.Errno(Errno.EINVAL);
        block.Owner ??= cq;
        return block;
    }

    /// <summary>cops->tcf_block(q, cl): clsact has no block without one of its two minors.</summary>
    private static FilterBlock? BlockOf(ClassfulQdisc q, QdiscClass? cl) => cl is not null
        ? q.ClassFilters(cl)
        : q is Qdiscs.Clsact.ClsactQdisc ? null : q.Filters;

    /// <summary>
    /// The dump paths (tc_dump_tfilter(), tc_dump_chain()): the same resolution, but any failure just dumps
    /// nothing.
    /// </summary>
    public static FilterBlock? TryFindForDump(FilterNamespace ns, NetDevice dev, uint parent, out ClassfulQdisc? qdisc)
    {
        qdisc = null;
        if (ns.BlockResolver is { } resolve)
        {
            try
            {
                FilterBlockTarget t = resolve(dev, parent);
                qdisc = (ClassfulQdisc)t.Qdisc;
                t.Block.Owner ??= t.Qdisc;
                return t.Block;
            }
            catch (TcException)
            {
                return null;
            }
        }
        Qdisc? q = parent == 0 ? dev.Root : FindQdisc(dev, TcHandle.Major(parent));
        if (q is not ClassfulQdisc cq) return null;
        QdiscClass? cl = null;
        if (TcHandle.Minor(parent) != 0)
        {
            cl = cq.FindClass(parent);
            if (cl is null) return null;
        }
        FilterBlock? block = BlockOf(cq, cl);
        if (block is null) return null;
        block.Owner ??= cq;
        qdisc = cq;
        return block;
    }
}
