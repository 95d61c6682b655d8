using System.Buffers.Binary;
using Forwarder.Ports;
using Forwarder.Tests.Support;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;

namespace Forwarder.Tests.Ports;

public sealed class RxFrameImporterTests : IDisposable
{
    private readonly PacketPool _pool = new(256);
    private readonly NetDevice _device = new("f0", 7, mtu: 1500);
    private readonly PortStats _stats = new();
    private readonly RxFrameImporter _importer;
    private readonly Packet[] _out = new Packet[64];

    public RxFrameImporterTests() => _importer = new RxFrameImporter(_pool, _device, _stats, [2, 0, 0, 0, 0, 2]);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void A_plain_frame_becomes_one_packet_with_its_metadata()
    {
        byte[] frame = Frames.Udp(100);
        RxFrameInfo info = RxFrameInfo.Plain(12345);
        Assert.Equal(1, _importer.Import(frame, in info, _out));
        Packet p = _out[0];
        Assert.Equal(frame, p.Data.ToArray());
        Assert.Equal(EtherType.Ipv4, p.Protocol);
        Assert.Equal(7, p.Meta.IngressIfIndex);
        Assert.Equal(7, p.Meta.IfIndex);
        Assert.Equal(12345, p.Meta.ArrivalNs);
        Assert.Equal(0, p.Meta.PacketType); // addressed to our MAC: PACKET_HOST
        Assert.Equal(1, _stats.RxPackets);
        p.Free();
    }

    [Fact]
    public void A_tag_in_the_frame_moves_to_metadata_like_skb_vlan_untag()
    {
        byte[] tagged = Frames.Udp(104, vlanTci: 0x2064);
        RxFrameInfo info = RxFrameInfo.Plain(0);
        Assert.Equal(1, _importer.Import(tagged, in info, _out));
        Packet p = _out[0];
        Assert.Equal(1, p.Meta.VlanPresent);
        Assert.Equal(0x2064, p.Meta.VlanTci);
        Assert.Equal(EtherType.Vlan8021Q, p.Meta.VlanProto);
        Assert.Equal(EtherType.Ipv4, p.Protocol);
        Assert.Equal(Frames.Udp(100), p.Data.ToArray());
        // And the transmit side puts it back exactly.
        byte[] wire = new byte[200];
        int n = TxFrameWriter.Write(p, wire);
        Assert.Equal(tagged, wire.AsSpan(0, n).ToArray());
        p.Free();
    }

    [Fact]
    public void A_tag_the_kernel_stripped_is_kept_in_metadata_and_restored_on_transmit()
    {
        byte[] untagged = Frames.Udp(100);
        RxFrameInfo info = RxFrameInfo.Plain(0);
        info.VlanValid = true;
        info.VlanTci = 5;
        info.VlanTpid = EtherType.Vlan8021AD;
        Assert.Equal(1, _importer.Import(untagged, in info, _out));
        Packet p = _out[0];
        Assert.Equal(EtherType.Vlan8021AD, p.Meta.VlanProto);
        byte[] wire = new byte[200];
        int n = TxFrameWriter.Write(p, wire);
        Assert.Equal(Frames.Udp(104, vlanTci: 5, vlanTpid: EtherType.Vlan8021AD), wire.AsSpan(0, n).ToArray());
        p.Free();
    }

    [Fact]
    public void A_partial_checksum_is_completed_before_the_packet_goes_on()
    {
        byte[] finished = Frames.Udp(300);
        byte[] partial = (byte[])finished.Clone();
        var ip = Ipv4Packet.CreateUnchecked(partial.AsSpan(14));
        BinaryPrimitives.WriteUInt16BigEndian(partial.AsSpan(40), Checksum.Fold(ip.PseudoHeaderSum(300 - 34)));
        foreach (ChecksumState state in new[] { ChecksumState.Partial, ChecksumState.Unknown })
        {
            RxFrameInfo info = RxFrameInfo.Plain(0);
            info.Checksum = state;
            Assert.Equal(1, _importer.Import((byte[])partial.Clone(), in info, _out));
            Assert.Equal(finished, _out[0].Data.ToArray());
            _out[0].Free();
        }
        Assert.Equal(2, _stats.RxChecksumsCompleted);
    }

    [Fact]
    public void A_gro_super_frame_is_split_into_mtu_sized_segments_with_good_checksums()
    {
        byte[] super = Frames.TcpSuperFrame(20000);
        RxFrameInfo info = RxFrameInfo.Plain(0);
        info.Checksum = ChecksumState.Partial;
        int n = _importer.Import(super, in info, _out);
        Assert.Equal(14, n); // 20000 / 1448
        for (int i = 0; i < n; i++)
        {
            Assert.True(_out[i].Length <= 1514);
            Assert.True(Frames.TransportChecksumOk(_out[i].Data));
            Assert.Equal(EtherType.Ipv4, _out[i].Protocol);
            _out[i].Free();
        }
        Assert.Equal(1, _stats.RxSegmented);
        Assert.Equal(14, _stats.RxPackets);
    }

    [Fact]
    public void A_super_frame_that_does_not_fit_the_burst_is_left_for_the_next_one()
    {
        byte[] super = Frames.TcpSuperFrame(20000);
        RxFrameInfo info = RxFrameInfo.Plain(0);
        Assert.Equal(-1, _importer.Import(super, in info, _out.AsSpan(0, 10)));
        Assert.Equal(0, _stats.RxFrames);
        Assert.Equal(_pool.Count, _pool.Available);
    }

    [Fact]
    public void Oversize_frames_that_cannot_be_segmented_and_runts_are_dropped_and_counted()
    {
        RxFrameInfo info = RxFrameInfo.Plain(0);
        Assert.Equal(0, _importer.Import(Frames.Udp(1600), in info, _out));
        Assert.Equal(0, _importer.Import(new byte[10], in info, _out));
        Assert.Equal(2, _stats.RxDropped);
        Assert.Equal(_pool.Count, _pool.Available);
    }

    [Fact]
    public void Broadcast_multicast_and_foreign_destinations_get_their_packet_types()
    {
        byte[] f = Frames.Udp(64);
        RxFrameInfo info = RxFrameInfo.Plain(0);
        MacAddress.Broadcast.Write(f);
        _importer.Import(f, in info, _out);
        Assert.Equal(1, _out[0].Meta.PacketType);
        MacAddress.Parse("01:00:5e:00:00:01").Write(f);
        _importer.Import(f, in info, _out.AsSpan(1));
        Assert.Equal(2, _out[1].Meta.PacketType);
        MacAddress.Parse("02:00:00:00:00:99").Write(f);
        _importer.Import(f, in info, _out.AsSpan(2));
        Assert.Equal(3, _out[2].Meta.PacketType);
        for (int i = 0; i < 3; i++) _out[i].Free();
    }

    [Fact]
    public void An_empty_pool_drops_and_counts()
    {
        using var tiny = new PacketPool(1);
        var importer = new RxFrameImporter(tiny, _device, _stats, []);
        RxFrameInfo info = RxFrameInfo.Plain(0);
        Assert.Equal(1, importer.Import(Frames.Udp(64), in info, _out));
        Assert.Equal(0, importer.Import(Frames.Udp(64), in info, _out.AsSpan(1)));
        Assert.Equal(1, _stats.RxDropped);
        _out[0].Free();
    }
}
