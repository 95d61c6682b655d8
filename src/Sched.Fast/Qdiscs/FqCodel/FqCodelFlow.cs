using System.Runtime.InteropServices;
using Sched.Fast.Aqm.Codel;
using Sched.Fast.Packets;

namespace Sched.Fast.Qdiscs.FqCodel;

/// <summary>
/// struct fq_codel_flow: one flow's packets (a singly linked list through <see cref="Packet.Next"/>), its place
/// in the new/old round-robin lists, its DRR deficit and its CoDel state. Kept small (56 bytes) as the kernel keeps
/// its own under 64: fq_codel_drop() and the dequeue loop walk these.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FqCodelFlow
{
    public Packet? Head;
    public Packet? Tail;

    /// <summary>The next flow in the list this flow is on (-1: last).</summary>
    public int NextFlow;

    /// <summary>DRR credit in bytes.</summary>
    public int Deficit;

    public CodelVars Vars;

    /// <summary>On the new or the old list (the kernel's !list_empty(&amp;flow->flowchain)).</summary>
    public bool InList;
}
