using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers;

/// <summary>
/// The filters of a classifier that keeps a plain list, newest first, with an idr of handles (cls_basic.c,
/// cls_bpf.c), held as an array that every change replaces whole: a packet being classified reads the array once
/// and never sees it half-changed, as RCU readers of the kernel's list never do.
/// </summary>
internal static class FilterArray
{
    /// <summary>
    /// The handle of a new or replacing filter: the one asked for (EINVAL if it is not the replaced filter's own,
    /// ENOSPC if another filter has it), else the lowest free one as idr_alloc_u32(1..INT_MAX) gives it.
    /// </summary>
    public static uint Handle<T>(T[] filters, uint requested, T? old) where T : FilterNode
    {
        if (old is not null && requested != 0 && old.Handle != requested) throw KernelError.Errno(Errno.EINVAL);
        if (requested == 0)
        {
            uint handle = 1;
            while (Array.Exists(filters, f => f.Handle == handle))
            {
                if (handle == int.MaxValue) throw KernelError.Errno(Errno.ENOSPC);
                handle++;
            }
            return handle;
        }
        if (old is null && Array.Exists(filters, f => f.Handle == requested)) throw KernelError.Errno(Errno.ENOSPC);
        return requested;
    }

    /// <summary>list_replace_rcu() of <paramref name="old"/> by <paramref name="f"/>, else list_add_rcu() at the head.</summary>
    public static T[] Publish<T>(T[] filters, T f, T? old) where T : FilterNode
    {
        if (old is null) return [f, .. filters];
        T[] next = (T[])filters.Clone();
        next[Array.IndexOf(filters, old)] = f;
        return next;
    }

    /// <summary>list_del_rcu().</summary>
    public static T[] Without<T>(T[] filters, T f) where T : FilterNode => filters.Where(x => x != f).ToArray();
}
