using System.Buffers.Binary;
using Forwarder.Ports;
using Forwarder.Tests.Support;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;
using Sched.Fast.Time;

namespace Forwarder.Tests.Ports;

/// <summary>
/// Port tests on a lab's veth f1 -> s0: our UDP frames (to port 9, the source port numbering them) sent as fast as
/// the pcap port's batches go, and counted on the far side apart from anything the sink's kernel sends itself.
/// </summary>
internal static class VethFlood
{
    /// <summary>Sends <paramref name="count"/> 64-byte frames, source ports 0, 1, ..., and returns when all are handed over.</summary>
    public static void Send(PcapPort tx, PacketPool pool, int count)
    {
        var one = new Packet[1];
        for (int i = 0; i < count; i++)
        {
            one[0] = pool.Rent()!;
            one[0].Load(Frames.Udp(64, srcPort: (ushort)i));
            tx.Send(one, TimeNs.Zero);
            if (i % PcapPort.TxBatchFrames == 0) tx.Flush();
        }
        tx.Flush();
    }

    /// <summary>Receives until the port has nothing more; returns how many of our frames came.</summary>
    public static long ReceiveAll(IPort rx)
    {
        long received = 0;
        var burst = new Packet[64];
        int n;
        while ((n = rx.Receive(burst, TimeNs.Zero)) > 0)
        {
            for (int k = 0; k < n; k++)
            {
                if (IsOurs(burst[k], out _)) received++;
                burst[k].Free();
            }
        }
        return received;
    }

    /// <summary>Our UDP frames to port 9 (the sink's kernel may send its own traffic on s0 too).</summary>
    public static bool IsOurs(Packet p, out ushort sourcePort)
    {
        sourcePort = 0;
        ReadOnlySpan<byte> d = p.Data;
        if (d.Length < 42 || BinaryPrimitives.ReadUInt16BigEndian(d[12..]) != EtherType.Ipv4 || d[23] != 17) return false;
        if (BinaryPrimitives.ReadUInt16BigEndian(d[36..]) != 9) return false;
        sourcePort = BinaryPrimitives.ReadUInt16BigEndian(d[34..]);
        return true;
    }
}
