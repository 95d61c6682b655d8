using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc;

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
    /// belongs to, and the effective parent (the root qdisc's handle when none was given). Errors are the kernel's.
    /// </summary>
    public static FilterBlock Find(FilterNamespace ns, int ifIndex, ref uint parent, out ClassfulQdisc qdisc,
        out QdiscClass? cl)
    {
        cl = null;
        if (ifIndex == MagicBlockIfIndex) throw KernelError.ExtAck("Block of given index was not found");
        NetDevice dev = ns.Devices.Find(ifIndex) ?? throw KernelError.Errno(Errno.ENODEV);
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
        FilterBlock block = cq.BlockFor(cl) ?? throw KernelError.Errno(Errno.EINVAL);
        block.Owner ??= cq;
        return block;
    }

    /// <summary>
    /// The dump paths (tc_dump_tfilter(), tc_dump_chain()): the same resolution, but any failure just dumps
    /// nothing.
    /// </summary>
    public static FilterBlock? TryFindForDump(NetDevice dev, uint parent, out ClassfulQdisc? qdisc)
    {
        qdisc = null;
        Qdisc? q = parent == 0 ? dev.Root : FindQdisc(dev, TcHandle.Major(parent));
        if (q is not ClassfulQdisc cq) return null;
        QdiscClass? cl = null;
        if (TcHandle.Minor(parent) != 0)
        {
            cl = cq.FindClass(parent);
            if (cl is null) return null;
        }
        FilterBlock? block = cq.BlockFor(cl);
        if (block is null) return null;
        block.Owner ??= cq;
        qdisc = cq;
        return block;
    }
}
