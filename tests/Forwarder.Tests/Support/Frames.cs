using System.Buffers.Binary;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;

namespace Forwarder.Tests.Support;

/// <summary>Test frames: UDP over IPv4 (optionally VLAN-tagged), TCP super-frames with partial checksums.</summary>
public static class Frames
{
    public static readonly MacAddress MacA = MacAddress.Parse("02:00:00:00:00:01");
    public static readonly MacAddress MacB = MacAddress.Parse("02:00:00:00:00:02");

    /// <summary>A UDP frame of <paramref name="frameBytes"/> bytes with valid IP and UDP checksums.</summary>
    public static byte[] Udp(int frameBytes, ushort srcPort = 1000, ushort dstPort = 9, ushort vlanTci = 0,
        ushort vlanTpid = EtherType.Vlan8021Q, byte fill = 0)
    {
        int tag = vlanTci != 0 ? 4 : 0;
        byte[] f = new byte[Math.Max(frameBytes, 42 + tag)];
        var eth = EthernetFrame.CreateUnchecked(f);
        eth.Destination = MacB;
        eth.Source = MacA;
        int l3 = 14;
        if (tag != 0)
        {
            eth.EtherType = vlanTpid;
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14), vlanTci);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), EtherType.Ipv4);
            l3 = 18;
        }
        else
        {
            eth.EtherType = EtherType.Ipv4;
        }
        int ipLength = f.Length - l3;
        var ip = Ipv4Packet.CreateUnchecked(f.AsSpan(l3));
        ip.Version = 4;
        ip.HeaderLength = 20;
        ip.TotalLength = (ushort)ipLength;
        ip.Ttl = 64;
        ip.Protocol = IpProtocol.Udp;
        ip.Source = 0xC6120001;
        ip.Destination = 0xC6120002;
        ip.FillChecksum();
        var udp = UdpPacket.CreateUnchecked(f.AsSpan(l3 + 20));
        udp.SourcePort = srcPort;
        udp.DestinationPort = dstPort;
        udp.Length = (ushort)(ipLength - 20);
        udp.Payload.Fill(fill);
        udp.FillChecksum(ip.PseudoHeaderSum(udp.Length));
        return f;
    }

    /// <summary>An IPv4 TCP frame with a 32-byte header and a partial checksum, like a TSO super-frame.</summary>
    public static byte[] TcpSuperFrame(int payloadBytes, uint seq = 1)
    {
        byte[] f = new byte[14 + 20 + 32 + payloadBytes];
        var eth = EthernetFrame.CreateUnchecked(f);
        eth.Destination = MacB;
        eth.Source = MacA;
        eth.EtherType = EtherType.Ipv4;
        var ip = Ipv4Packet.CreateUnchecked(f.AsSpan(14));
        ip.Version = 4;
        ip.HeaderLength = 20;
        ip.TotalLength = (ushort)(f.Length - 14);
        ip.Ttl = 64;
        ip.Protocol = IpProtocol.Tcp;
        ip.Source = 0xC6120001;
        ip.Destination = 0xC6120002;
        ip.Identification = 100;
        ip.FillChecksum();
        var tcp = TcpPacket.CreateUnchecked(f.AsSpan(34));
        tcp.SourcePort = 40000;
        tcp.DestinationPort = 5201;
        tcp.SequenceNumber = seq;
        tcp.HeaderLength = 32;
        tcp.Flags = TcpPacket.FlagAck | TcpPacket.FlagPsh;
        for (int i = 0; i < payloadBytes; i++) f[66 + i] = (byte)i;
        tcp.Checksum = Checksum.Fold(ip.PseudoHeaderSum(f.Length - 34));
        return f;
    }

    public static bool TransportChecksumOk(ReadOnlySpan<byte> frame)
    {
        byte[] copy = frame.ToArray();
        if (!FrameLayout.TryParse(copy, out FrameLayout l) || !l.HasL4) return false;
        return Checksum.Verify(copy.AsSpan(l.L4Offset, l.L3End - l.L4Offset), l.PseudoHeaderSum(copy, l.L3End - l.L4Offset));
    }
}
