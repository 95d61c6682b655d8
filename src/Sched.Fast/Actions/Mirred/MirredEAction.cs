namespace Sched.Fast.Actions.Mirred;

/// <summary>TCA_*_REDIR/MIRROR (include/uapi/linux/tc_act/tc_mirred.h): where mirred sends the packet, and how.</summary>
public enum MirredEAction
{
    EgressRedirect = 1,
    EgressMirror = 2,
    IngressRedirect = 3,
    IngressMirror = 4,
}
