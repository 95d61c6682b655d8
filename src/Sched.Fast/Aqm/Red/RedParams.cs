namespace Sched.Fast.Aqm.Red;

/// <summary>
/// struct red_parms (include/net/red.h): the configuration of one RED instance, with thresholds pre-shifted by
/// Wlog to compare directly with the fixed-point average. Built by <see cref="RedAlgorithm.SetParms"/>; red, gred,
/// choke and sfq's redflowlimit share it. A class because it is control-plane data swapped as a whole on change.
/// </summary>
public sealed class RedParams
{
    public const int StabSize = 256; // RED_STAB_SIZE

    /// <summary>Minimum average queue length threshold, in bytes &lt;&lt; Wlog.</summary>
    public uint QthMin;

    /// <summary>Maximum average queue length threshold, in bytes &lt;&lt; Wlog.</summary>
    public uint QthMax;

    /// <summary>Longest idle time the stab table covers (255 &lt;&lt; Scell_log), in microseconds.</summary>
    public uint ScellMax;

    /// <summary>Mark probability at qth_max, Q0.32.</summary>
    public uint MaxP;

    /// <summary>reciprocal_value(max_P / qth_delta): the random draw's divisor.</summary>
    public ReciprocalValue MaxPReciprocal;

    /// <summary>qth_max - qth_min in bytes (at least 1).</summary>
    public uint QthDelta;

    /// <summary>Adaptive RED's target band: min_th + 0.4 and + 0.6 of the threshold distance.</summary>
    public uint TargetMin;

    public uint TargetMax;

    public byte ScellLog;

    /// <summary>log2(1/W): the averaging weight.</summary>
    public byte Wlog;

    public byte Plog;

    /// <summary>Idle-time damping table: shift of qavg after (t &gt;&gt; Scell_log) microseconds idle.</summary>
    public readonly byte[] Stab = new byte[StabSize];

    /// <summary>The thresholds as the user gave them (qth &gt;&gt; Wlog), for dumps.</summary>
    public uint QthMinBytes => QthMin >> Wlog;

    public uint QthMaxBytes => QthMax >> Wlog;
}
