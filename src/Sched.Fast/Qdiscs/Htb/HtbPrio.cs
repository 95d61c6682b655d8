namespace Sched.Fast.Qdiscs.Htb;

/// <summary>
/// struct htb_prio: for one priority, a tree of classes ordered by classid (a level's "row" of classes that can
/// send, or an inner class's "feed" of children that borrow from it) and the DRR pointer into it. When the class
/// the pointer designates leaves the feed, the pointer is lost and its classid kept in <see cref="LastPtrId"/>, so
/// the round robin resumes from the next classid (htb_lookup_leaf()).
/// </summary>
internal sealed class HtbPrio
{
    public readonly RbTree Tree = new();
    public RbNode? Ptr;
    public uint LastPtrId;

    /// <summary>memset() of the structure.</summary>
    public void Clear()
    {
        Tree.Root = null;
        Ptr = null;
        LastPtrId = 0;
    }
}
