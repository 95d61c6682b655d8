namespace Sched.Fast.Packets.Wire;

/// <summary>EtherType values (IEEE registry; include/uapi/linux/if_ether.h ETH_P_*), host byte order.</summary>
public static class EtherType
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Arp = 0x0806;
    public const ushort Vlan8021Q = 0x8100;
    public const ushort Vlan8021AD = 0x88A8;
    public const ushort Ipv6 = 0x86DD;

    /// <summary>eth_type_vlan(): 802.1Q or 802.1ad.</summary>
    public static bool IsVlan(ushort type) => type is Vlan8021Q or Vlan8021AD;
}
