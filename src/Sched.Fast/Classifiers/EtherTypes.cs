namespace Sched.Fast.Classifiers;

/// <summary>The EtherTypes tc names (include/uapi/linux/if_ether.h), host byte order.</summary>
public static class EtherTypes
{
    public const ushort All = 0x0003;   // ETH_P_ALL
    public const ushort IPv4 = 0x0800;
    public const ushort Arp = 0x0806;
    public const ushort Vlan8021Q = 0x8100;
    public const ushort Vlan8021AD = 0x88A8;
    public const ushort IPv6 = 0x86DD;
    public const ushort Mpls = 0x8847;
}
