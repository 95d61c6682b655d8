using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Tests.Packets.Wire;

/// <summary>
/// TCP super-frames like those GRO/TSO hand a packet socket: one IPv4 or IPv6 header, a TCP header with the
/// timestamp option (32 bytes, as Linux sends), a payload far above the MTU, and a partial checksum (the field holds
/// the folded pseudo-header sum, as __tcp_v4_send_check() leaves it).
/// </summary>
internal static class SuperFrames
{
    public const int TcpHeaderBytes = 32;

    public static byte Pattern(int i) => (byte)(i * 7 + (i >> 8));

    public static byte[] Tcp(bool ipv6, int payloadBytes, uint seq = 1000, byte flags = TcpPacket.FlagAck | TcpPacket.FlagPsh,
        ushort ipId = 0x1234)
    {
        int l3Header = ipv6 ? Ipv6Packet.HeaderLength : Ipv4Packet.MinHeaderLength;
        int l4 = 14 + l3Header;
        byte[] f = new byte[l4 + TcpHeaderBytes + payloadBytes];
        EthernetFrame eth = EthernetFrame.CreateUnchecked(f);
        eth.Destination = MacAddress.Parse("02:00:00:00:00:02");
        eth.Source = MacAddress.Parse("02:00:00:00:00:01");
        eth.EtherType = ipv6 ? EtherType.Ipv6 : EtherType.Ipv4;
        int l4Length = TcpHeaderBytes + payloadBytes;
        ulong pseudo;
        if (ipv6)
        {
            Ipv6Packet ip = Ipv6Packet.CreateUnchecked(f.AsSpan(14));
            ip.Version = 6;
            ip.PayloadLength = (ushort)l4Length;
            ip.NextHeader = IpProtocol.Tcp;
            ip.HopLimit = 64;
            ip.SourceAddress = (UInt128)0x2001_0db8 << 96 | 1;
            ip.DestinationAddress = (UInt128)0x2001_0db8 << 96 | 2;
            pseudo = ip.PseudoHeaderSum(IpProtocol.Tcp, l4Length);
        }
        else
        {
            Ipv4Packet ip = Ipv4Packet.CreateUnchecked(f.AsSpan(14));
            ip.Version = 4;
            ip.HeaderLength = 20;
            ip.TotalLength = (ushort)(20 + l4Length);
            ip.Identification = ipId;
            ip.DontFragment = true;
            ip.Ttl = 64;
            ip.Protocol = IpProtocol.Tcp;
            ip.Source = 0xC6120001;
            ip.Destination = 0xC6120002;
            ip.FillChecksum();
            pseudo = ip.PseudoHeaderSum(l4Length);
        }
        TcpPacket tcp = TcpPacket.CreateUnchecked(f.AsSpan(l4));
        tcp.SourcePort = 40000;
        tcp.DestinationPort = 5201;
        tcp.SequenceNumber = seq;
        tcp.AcknowledgmentNumber = 77;
        tcp.HeaderLength = TcpHeaderBytes;
        tcp.Flags = flags;
        tcp.Window = 501;
        tcp.Options[0] = 1; tcp.Options[1] = 1; tcp.Options[2] = 8; tcp.Options[3] = 10; // NOP NOP TS
        for (int i = 0; i < payloadBytes; i++) f[l4 + TcpHeaderBytes + i] = Pattern(i);
        tcp.Checksum = Checksum.Fold(pseudo);
        return f;
    }
}
