namespace Sched.Fast.Aqm.Red;

/// <summary>The TC_RED_* flags of tc_red_qopt / tc_sfq_qopt_v1 (include/uapi/linux/pkt_sched.h).</summary>
[Flags]
public enum RedFlags : byte
{
    None = 0,
    /// <summary>TC_RED_ECN: mark ECN-capable packets instead of dropping them.</summary>
    Ecn = 1,
    /// <summary>TC_RED_HARDDROP: above max_th drop even ECN-capable packets.</summary>
    HardDrop = 2,
    /// <summary>TC_RED_ADAPTATIVE: adapt max_P (Adaptive RED).</summary>
    Adaptative = 4,
    /// <summary>TC_RED_NODROP: never drop for RED reasons, only mark.</summary>
    NoDrop = 8,
}
