namespace Sched.Fast.Packets.Wire;

/// <summary>IP protocol / IPv6 next-header numbers (IANA; include/uapi/linux/in.h, in6.h).</summary>
public static class IpProtocol
{
    public const byte HopByHop = 0;
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Ipv6Route = 43;
    public const byte Ipv6Fragment = 44;
    public const byte Gre = 47;
    public const byte Esp = 50;
    public const byte Ah = 51;
    public const byte Icmpv6 = 58;
    public const byte Ipv6NoNext = 59;
    public const byte Ipv6DestOpts = 60;
    public const byte Sctp = 132;
    public const byte UdpLite = 136;

    /// <summary>The IPv6 extension headers that share the (next header, length) layout or the fragment layout.</summary>
    public static bool IsIpv6Extension(byte nextHeader) =>
        nextHeader is HopByHop or Ipv6Route or Ipv6Fragment or Ipv6DestOpts or Ah;
}
