using System.Buffers.Binary;
using Sched.Fast.Packets;

namespace Sched.Fast.Classifiers;

/// <summary>
/// Where a frame's headers start, as the kernel's skb header offsets give them to classifiers: the link (mac)
/// header at 0, the network header after the Ethernet header and any VLAN tags carried in the frame
/// (skb_network_offset()), and the transport header after the IPv4 header (its IHL) or the fixed IPv6 header,
/// else at the network header. Computed once per classification from the frame itself.
/// </summary>
public readonly struct PacketHeaders
{
    public const int EthernetHeaderBytes = 14;
    public const int VlanTagBytes = 4;

    public PacketHeaders(int network, int transport, int length)
    {
        Network = network;
        Transport = transport;
        Length = length;
    }

    /// <summary>skb_network_offset(): bytes from the frame start to the network header.</summary>
    public int Network { get; }

    /// <summary>skb_transport_offset().</summary>
    public int Transport { get; }

    /// <summary>The frame length (skb->len seen from the mac header).</summary>
    public int Length { get; }

    /// <summary>The offsets of <paramref name="packet"/>'s frame.</summary>
    public static PacketHeaders Of(Packet packet) => Of(packet.Data);

    public static PacketHeaders Of(ReadOnlySpan<byte> frame)
    {
        int nh = NetworkOffset(frame, out ushort type);
        return new PacketHeaders(nh, TransportOffset(frame, nh, type), frame.Length);
    }

    /// <summary>The network header: after the Ethernet header and any 802.1Q/802.1ad tags in the frame.</summary>
    public static int NetworkOffset(ReadOnlySpan<byte> frame) => NetworkOffset(frame, out _);

    private static int NetworkOffset(ReadOnlySpan<byte> frame, out ushort type)
    {
        int off = EthernetHeaderBytes;
        type = 0;
        if (frame.Length < off) return off;
        type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        while ((type == EtherTypes.Vlan8021Q || type == EtherTypes.Vlan8021AD) && frame.Length >= off + VlanTagBytes)
        {
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[(off + 2)..]);
            off += VlanTagBytes;
        }
        return off;
    }

    /// <summary>The transport header: IPv4 by its IHL, IPv6 after 40 bytes, else the network header.</summary>
    private static int TransportOffset(ReadOnlySpan<byte> frame, int network, ushort type)
    {
        if (frame.Length <= network) return network;
        if (type == EtherTypes.IPv4) return network + ((frame[network] & 0x0F) << 2);
        if (type == EtherTypes.IPv6) return network + 40;
        return network;
    }
}
