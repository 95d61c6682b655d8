using Forwarder.Ports;
using Forwarder.Tests.Bpf;
using Forwarder.Tests.EndToEnd;
using Forwarder.Tests.Support;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;
using Sched.Fast.Time;

namespace Forwarder.Tests.Ports;

/// <summary>
/// The pcap port's batched transmit on a real veth pair (f1 in ns fwd to s0 in ns sink): bursts longer than one
/// sendmmsg arrive whole and in order, a VLAN tag held in metadata goes back into the frame, a frame over the MTU is
/// counted as dropped, and the counters match what crossed; frames a full receive ring dropped count as kernel drops.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PcapPortTests
{
    private const int Frames = 2 * PcapPort.TxBatchFrames + 22;

    [RootFact]
    public void Bursts_longer_than_a_batch_arrive_whole_in_order_with_their_tags()
    {
        using var lab = new EndToEnd.Lab();
        using var pool = new PacketPool(4 * Frames, 4096);
        using PcapPort tx = NetworkNamespace.Enter(lab.Topology.Fwd, () => PcapPort.Open("f1", pool));
        using PcapPort rx = NetworkNamespace.Enter(lab.Topology.Sink, () => PcapPort.Open("s0", pool));

        var sent = new Packet[Frames];
        long bytes = 0;
        for (int i = 0; i < Frames; i++)
        {
            Packet p = pool.Rent()!;
            p.Load(Support.Frames.Udp(60 + i, srcPort: (ushort)(1000 + i)));
            if (i % 50 == 7) Tag(p, (ushort)(100 + i));
            bytes += TxFrameWriter.WireLength(p);
            sent[i] = p;
        }
        Packet oversized = pool.Rent()!;
        oversized.Load(Support.Frames.Udp(1600));

        Assert.Equal(70, tx.Send(sent.AsSpan(0, 70), TimeNs.Zero));
        Assert.Equal(1, tx.Send(new[] { oversized }, TimeNs.Zero));
        Assert.Equal(Frames - 70, tx.Send(sent.AsSpan(70), TimeNs.Zero));
        tx.Flush();

        Assert.Equal(Frames, tx.Stats.TxPackets);
        Assert.Equal(bytes, tx.Stats.TxBytes);
        Assert.Equal(1, tx.Stats.TxDropped);

        var got = new List<(ushort Port, int Length, ushort Tci)>();
        var burst = new Packet[64];
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        while (got.Count < Frames && DateTime.UtcNow < until)
        {
            int n = rx.Receive(burst, TimeNs.Zero);
            for (int k = 0; k < n; k++)
            {
                Packet p = burst[k];
                if (VethFlood.IsOurs(p, out ushort port)) got.Add((port, TxFrameWriter.WireLength(p), p.Meta.VlanPresent != 0 ? p.Meta.VlanTci : (ushort)0));
                p.Free();
            }
            if (n == 0) Thread.Sleep(1);
        }

        Assert.Equal(Frames, got.Count);
        for (int i = 0; i < Frames; i++)
        {
            Assert.Equal((ushort)(1000 + i), got[i].Port);
            ushort tci = i % 50 == 7 ? (ushort)(100 + i) : (ushort)0;
            Assert.Equal(60 + i + (tci != 0 ? VlanHeader.TagLength : 0), got[i].Length);
            Assert.Equal(tci, got[i].Tci);
        }
    }

    [RootFact]
    public void Frames_a_full_receive_ring_drops_count_as_kernel_drops()
    {
        using var lab = new EndToEnd.Lab();
        using var pool = new PacketPool(512, 4096);
        using PcapPort tx = NetworkNamespace.Enter(lab.Topology.Fwd, () => PcapPort.Open("f1", pool));
        using PcapPort rx = NetworkNamespace.Enter(lab.Topology.Sink, () => PcapPort.Open("s0", pool));

        // libpcap sizes the ring by the snapshot length: a few thousand frames. Send far more without reading.
        const int flood = 20_000;
        VethFlood.Send(tx, pool, flood);
        Assert.Equal(flood, tx.Stats.TxPackets);

        long received = VethFlood.ReceiveAll(rx);
        rx.RefreshStatus();

        Assert.InRange(received, 1, flood - 1);
        Assert.InRange(rx.Stats.RxKernelDrops, flood - received, flood - received + 16); // + whatever else s0 saw
        Assert.Equal(rx.Stats.RxKernelDrops, rx.Stats.RxDropped);
    }

    private static void Tag(Packet p, ushort tci)
    {
        p.Meta.VlanPresent = 1;
        p.Meta.VlanProto = EtherType.Vlan8021Q;
        p.Meta.VlanTci = tci;
    }
}
