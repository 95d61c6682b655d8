namespace Sched.Fast.Tc.Kernel;

/// <summary>
/// The request flags tc sets on RTM_NEW* messages (include/uapi/linux/netlink.h): add = CREATE|EXCL,
/// replace = CREATE|REPLACE, link = REPLACE, change = none (tc/tc_qdisc.c do_qdisc()).
/// </summary>
[Flags]
public enum NetlinkFlags
{
    None = 0,
    Replace = 0x100,
    Exclusive = 0x200,
    Create = 0x400,
}
