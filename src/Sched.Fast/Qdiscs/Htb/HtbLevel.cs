namespace Sched.Fast.Qdiscs.Htb;

/// <summary>struct htb_level: a level's event queue (classes waiting for a mode change, by time) and its rows.</summary>
internal sealed class HtbLevel
{
    public readonly RbTree WaitQueue = new();
    public readonly HtbPrio[] Prios = [new(), new(), new(), new(), new(), new(), new(), new()];

    public void Clear()
    {
        WaitQueue.Root = null;
        foreach (HtbPrio p in Prios) p.Clear();
    }
}
