using System.Runtime.InteropServices;
using Sched.Fast.Aqm.Red;
using Sched.Fast.Packets;

namespace Sched.Fast.Qdiscs.Sfq;

/// <summary>struct sfq_slot: one flow's packets, its round-robin link, depth-list link, hash bucket and credit.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SfqSlot
{
    public PacketQueue Queue;
    public RedVars Vars;
    /// <summary>Packets in the slot (sfq_index qlen).</summary>
    public ushort Qlen;
    /// <summary>Next slot in the round-robin ring.</summary>
    public ushort Next;
    public SfqHead Dep;
    /// <summary>The hash bucket pointing at this slot.</summary>
    public ushort Hash;
    /// <summary>Bytes this slot may still send in the current round.</summary>
    public int Allot;
    public uint Backlog;
}
