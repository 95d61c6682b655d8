using System.Runtime.InteropServices;

namespace Sched.Fast.Aqm.Red;

/// <summary>struct red_stats (include/net/red.h): why RED dropped or marked.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RedStats
{
    /// <summary>Early probability drops.</summary>
    public uint ProbDrop;
    /// <summary>Early probability marks.</summary>
    public uint ProbMark;
    /// <summary>Forced drops, qavg above max_th.</summary>
    public uint ForcedDrop;
    /// <summary>Forced marks, qavg above max_th.</summary>
    public uint ForcedMark;
    /// <summary>Drops due to the queue limit.</summary>
    public uint PDrop;
    /// <summary>Drops for other reasons.</summary>
    public uint Other;
}
