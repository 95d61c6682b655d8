using System.Runtime.InteropServices;

namespace Sched.Fast.Aqm.Red;

/// <summary>
/// struct red_vars (include/net/red.h): the state of one RED-controlled queue (sfq keeps one per slot). The
/// default value is not the initial state: call <see cref="RedAlgorithm.SetVars"/> (qcount -1).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct RedVars
{
    /// <summary>Average queue length in bytes, fixed point with the point at Wlog.</summary>
    public ulong QAvg;

    /// <summary>Start of the current idle period (ns), or 0 when not idle.</summary>
    public long QIdleStartNs;

    /// <summary>Packets since the last random draw; -1 when below min_th.</summary>
    public int QCount;

    /// <summary>The cached random threshold.</summary>
    public uint QR;
}
