using System.Runtime.InteropServices;

namespace Sched.Fast.Aqm.Codel;

/// <summary>
/// struct codel_vars (include/net/codel.h): the state of one CoDel-controlled queue. fq_codel keeps one per flow,
/// so it stays small (24 bytes). Times are in <see cref="CodelTime"/> units; the default value is
/// codel_vars_init().
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct CodelVars
{
    /// <summary>Drops (or marks) since entering the dropping state.</summary>
    public uint Count;

    /// <summary>Count when the dropping state was last entered.</summary>
    public uint LastCount;

    /// <summary>When the sojourn time went (or will be allowed to stay) above target for a whole interval; 0: not above.</summary>
    public uint FirstAboveTime;

    /// <summary>When the next drop is due, or when the last one happened.</summary>
    public uint DropNext;

    /// <summary>Sojourn time of the last dequeued packet.</summary>
    public uint Ldelay;

    /// <summary>1/sqrt(Count) as a Q0.16 fixed-point number (the kernel keeps it to avoid sqrt and division).</summary>
    public ushort RecInvSqrt;

    public bool Dropping;
}
