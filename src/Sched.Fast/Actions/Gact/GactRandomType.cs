namespace Sched.Fast.Actions.Gact;

/// <summary>PGACT_* (include/uapi/linux/tc_act/tc_gact.h).</summary>
public enum GactRandomType : ushort
{
    None = 0,
    Netrand = 1,
    Determ = 2,
}
