using Sched.Fast.Actions;

namespace Sched.Fast.Classifiers.U32;

/// <summary>
/// struct tc_u_knode: one u32 filter. Its keys must all match; then it either continues in a linked table
/// (<see cref="Down"/>) or, if terminal, returns its class and runs its actions. Counters are the kernel's
/// CONFIG_CLS_U32_PERF/MARK counters and survive a "tc filter change" of the node.
/// </summary>
public sealed class U32KeyNode : FilterNode
{
    public U32KeyNode(uint handle, U32Selector selector, U32HashTable up, U32NodeCounters counters)
    {
        Id = handle;
        Selector = selector;
        Up = up;
        Counters = counters;
        Keys = [.. selector.Keys];
        Terminal = (selector.Flags & U32Selector.Terminal) != 0;
        FoldShift = selector.HashMask != 0 ? System.Numerics.BitOperations.TrailingZeroCount(selector.HashMask) : 0;
    }

    public uint Id { get; }
    public override uint Handle => Id;

    /// <summary>The bucket successor (n->next).</summary>
    public U32KeyNode? Next;

    public U32Selector Selector { get; }

    /// <summary>The selector's keys as an array, for the data path.</summary>
    public U32Key[] Keys { get; }

    public bool Terminal { get; }

    /// <summary>n->fshift: ffs(hmask) - 1.</summary>
    public int FoldShift { get; }

    /// <summary>ht_up: the table the node is in.</summary>
    public U32HashTable Up { get; }

    /// <summary>ht_down: the table "link" continues in, or null.</summary>
    public U32HashTable? Down { get; set; }

    public ClassifyResult Result;

    public ActionList Actions { get; set; } = ActionList.Empty;

    /// <summary>n->ifindex: "indev" (0: any).</summary>
    public int IfIndex { get; set; }

    public uint Flags { get; set; }

    public uint MarkValue { get; set; }
    public uint MarkMask { get; set; }

    public U32NodeCounters Counters { get; }
}
