using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tc;

namespace Sched.Fast.Ematches;

/// <summary>
/// A validated ematch tree (net/sched/ematch.c tcf_em_tree_validate(), __tcf_em_tree_match()): the flat list with
/// its matchers. Matching walks a sequence left to right, stops early when an AND is false or an OR true, and
/// descends into containers with a small fixed stack, so a match allocates nothing.
/// </summary>
public sealed class EmatchTree
{
    /// <summary>CONFIG_NET_EMATCH_STACK.</summary>
    public const int StackDepth = 32;

    private readonly ushort[] _flags;
    private readonly int[] _containerRef;  // -1 for a leaf
    private readonly EmatchMatcher?[] _matchers;

    private EmatchTree(EmatchTreeSpec spec, ushort[] flags, int[] containerRef, EmatchMatcher?[] matchers)
    {
        Spec = spec;
        _flags = flags;
        _containerRef = containerRef;
        _matchers = matchers;
    }

    /// <summary>The tree as configured (what tcf_em_tree_dump() dumps).</summary>
    public EmatchTreeSpec Spec { get; }

    /// <summary>tcf_em_tree_validate(): every entry checked; containers may only point forward.</summary>
    public static EmatchTree Create(EmatchTreeSpec spec, FilterNamespace ns)
    {
        int n = spec.Count;
        var flags = new ushort[n];
        var refs = new int[n];
        var matchers = new EmatchMatcher?[n];
        for (int i = 0; i < n; i++)
        {
            EmatchEntry e = spec.Entries[i];
            if (!EmatchFlags.IsValidRelation(e.Flags)) throw KernelError.Errno(Errno.EINVAL);
            flags[i] = e.Flags;
            refs[i] = -1;
            if (e.IsContainer)
            {
                if (e.ContainerRef >= n || e.ContainerRef <= i) throw KernelError.Errno(Errno.EINVAL);
                refs[i] = (int)e.ContainerRef;
                continue;
            }
            EmatchKind kind = EmatchKinds.Find(e.Kind) ?? throw KernelError.Errno(Errno.ENOENT);
            if (e.Data is null || (e.Flags & EmatchFlags.Simple) != 0) throw KernelError.Errno(Errno.EINVAL);
            matchers[i] = kind.Create(e.Data, ns);
        }
        return new EmatchTree(spec, flags, refs, matchers);
    }

    /// <summary>tcf_em_tree_match(): an empty tree matches.</summary>
    public bool Match(Packet packet, in PacketHeaders headers)
    {
        int n = _flags.Length;
        if (n == 0) return true;
        Span<int> stack = stackalloc int[StackDepth];
        int sp = 0, idx = 0;
        bool res = false;
    Proceed:
        while (idx < n)
        {
            int child = _containerRef[idx];
            if (child >= 0)
            {
                // The kernel gives up with -1, which its callers read as a match.
                if (sp >= StackDepth) return true;
                stack[sp++] = idx;
                idx = child;
                goto Proceed;
            }
            res = _matchers[idx]!.Match(packet, headers);
            if ((_flags[idx] & EmatchFlags.Invert) != 0) res = !res;
            if (EarlyEnd(_flags[idx], res)) break;
            idx++;
        }
        while (sp > 0)
        {
            idx = stack[--sp];
            if ((_flags[idx] & EmatchFlags.Invert) != 0) res = !res;
            if (EarlyEnd(_flags[idx], res)) continue;
            idx++;
            goto Proceed;
        }
        return res;
    }

    /// <summary>tcf_em_early_end().</summary>
    private static bool EarlyEnd(ushort flags, bool result)
    {
        int rel = flags & EmatchFlags.RelMask;
        if (rel == EmatchFlags.RelEnd) return true;
        if (!result && rel == EmatchFlags.RelAnd) return true;
        return result && rel == EmatchFlags.RelOr;
    }
}
