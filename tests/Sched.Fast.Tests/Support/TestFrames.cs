using System.Buffers.Binary;
using Sched.Fast.Packets;

namespace Sched.Fast.Tests.Support;

/// <summary>Builds Ethernet/IPv4/UDP test frames of a given size and flow into pooled packets.</summary>
public static class TestFrames
{
    public const int MinFrame = 42; // Ethernet 14 + IPv4 20 + UDP 8

    /// <summary>An IPv4/UDP frame of <paramref name="frameBytes"/> bytes between 198.18.0.1 and 198.18.0.2.</summary>
    public static byte[] Udp(int frameBytes, ushort srcPort = 1000, ushort dstPort = 2000, byte tos = 0,
        uint srcIp = 0xC6120001, uint dstIp = 0xC6120002)
    {
        frameBytes = Math.Max(frameBytes, MinFrame);
        var f = new byte[frameBytes];
        // Ethernet: locally administered MACs.
        f[0] = 0x02; f[5] = 0x02;
        f[6] = 0x02; f[11] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);
        Span<byte> ip = f.AsSpan(14);
        ip[0] = 0x45;
        ip[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(frameBytes - 14));
        ip[8] = 64;
        ip[9] = 17;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], srcIp);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dstIp);
        uint sum = 0;
        for (int i = 0; i < 20; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~sum);
        Span<byte> udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], dstPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(frameBytes - 34));
        return f;
    }

    /// <summary>A pooled packet holding a UDP frame; protocol metadata set as a port would set it.</summary>
    public static Packet Packet(PacketPool pool, int frameBytes, ushort srcPort = 1000, ushort dstPort = 2000,
        uint priority = 0, byte tos = 0)
    {
        Packet p = pool.Rent() ?? throw new InvalidOperationException("test pool exhausted");
        p.Load(Udp(frameBytes, srcPort, dstPort, tos));
        p.Protocol = 0x0800;
        p.Priority = priority;
        return p;
    }
}
