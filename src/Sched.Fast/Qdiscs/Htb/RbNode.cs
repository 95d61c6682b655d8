namespace Sched.Fast.Qdiscs.Htb;

/// <summary>
/// A node of an intrusive red-black tree (struct rb_node): each htb class owns one per priority (for its row or its
/// parent's feed) and one for its level's event queue, so trees link classes without allocating.
/// </summary>
internal sealed class RbNode(HtbClass owner)
{
    internal RbNode? Left, Right, Parent;
    internal bool IsRed;

    /// <summary>Whether the node is in a tree (the kernel's !RB_EMPTY_NODE()).</summary>
    internal bool IsLinked;

    public HtbClass Owner { get; } = owner;

    /// <summary>RB_CLEAR_NODE() for a node whose tree was wiped wholesale (htb_reset's memsets).</summary>
    internal void Clear()
    {
        Left = Right = Parent = null;
        IsRed = false;
        IsLinked = false;
    }
}
