using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;

namespace Forwarder.Ports;

/// <summary>
/// Turns a received frame into packets, the same way for every port, handling what real interfaces hand over:
/// <list type="bullet">
/// <item>GRO/TSO super-frames larger than the MTU: split into MTU-sized TCP segments (<see cref="TcpSegmenter"/>);
/// other oversize frames are dropped.</item>
/// <item>Partial checksums (CHECKSUM_PARTIAL): completed here, so the frame is right whichever port it leaves by.</item>
/// <item>VLAN tags: the outer tag ends up in metadata, as the kernel has it at tc ingress (stripped by the NIC, or
/// popped by __netif_receive_skb_core()'s skb_vlan_untag()); the transmitting port puts it back.</item>
/// </list>
/// Metadata: protocol (EtherType after the outer tag), VLAN, ingress and current ifindex, arrival time, packet type.
/// </summary>
public sealed class RxFrameImporter
{
    private readonly PacketPool _pool;
    private readonly NetDevice _device;
    private readonly PortStats _stats;
    private readonly ulong _ownMac;

    public RxFrameImporter(PacketPool pool, NetDevice device, PortStats stats, ReadOnlySpan<byte> ownMac)
    {
        _pool = pool;
        _device = device;
        _stats = stats;
        _ownMac = ownMac.Length == 6 ? MacAddress.Read(ownMac).Value : 0;
    }

    public PacketPool Pool => _pool;

    /// <summary>
    /// Imports <paramref name="frame"/> into <paramref name="output"/>. Returns the number of packets produced
    /// (0: dropped and counted), or -1 when <paramref name="output"/> has no room for all segments (try again with
    /// an empty burst; nothing was consumed).
    /// </summary>
    public int Import(Span<byte> frame, in RxFrameInfo info, Span<Packet> output)
    {
        if (output.IsEmpty) return -1;
        _stats.RxFrames++;
        if (frame.Length < EthernetFrame.HeaderLength)
        {
            _stats.RxDropped++;
            return 0;
        }
        int limit = _device.Mtu + EthernetFrame.HeaderLength + InFrameTagBytes(frame);
        if (frame.Length > limit) return ImportOversize(frame, in info, output);

        Packet? p = _pool.Rent();
        if (p is null)
        {
            _stats.RxDropped++;
            return 0;
        }
        if (frame.Length > _pool.MaxFrameBytes)
        {
            p.Free();
            _stats.RxDropped++;
            return 0;
        }
        frame.CopyTo(p.Area[_pool.Headroom..]);
        p.SetData(_pool.Headroom, frame.Length);
        if (info.Checksum != ChecksumState.Complete) CompleteChecksum(p, in info);
        Finish(p, in info);
        output[0] = p;
        return 1;
    }

    private int ImportOversize(Span<byte> frame, in RxFrameInfo info, Span<Packet> output)
    {
        FrameLayout.TryParse(frame, out FrameLayout layout);
        int count = TcpSegmenter.CountSegments(in layout, frame, _device.Mtu, info.GsoSize);
        if (count == 0)
        {
            _stats.RxDropped++;
            return 0;
        }
        if (count > output.Length)
        {
            _stats.RxFrames--; // not consumed: the caller retries with more room
            return -1;
        }
        int n = TcpSegmenter.Segment(frame, in layout, _device.Mtu, info.GsoSize, _pool, output);
        if (n == 0)
        {
            _stats.RxDropped++;
            return 0;
        }
        _stats.RxSegmented++;
        for (int i = 0; i < n; i++) Finish(output[i], in info);
        return n;
    }

    private void CompleteChecksum(Packet p, in RxFrameInfo info)
    {
        Span<byte> data = p.Data;
        if (info.Checksum == ChecksumState.Partial && info.CsumStart >= 0)
        {
            if (ChecksumCompletion.Complete(data, info.CsumStart, info.CsumOffset)) _stats.RxChecksumsCompleted++;
            return;
        }
        if (!FrameLayout.TryParse(data, out FrameLayout layout) || !layout.HasL4) return;
        bool done = info.Checksum == ChecksumState.Partial
            ? ChecksumCompletion.CompleteFromHeaders(data, in layout)
            : ChecksumCompletion.RepairIfPartial(data, in layout);
        if (done) _stats.RxChecksumsCompleted++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish(Packet p, in RxFrameInfo info)
    {
        ref PacketMetadata m = ref p.Meta;
        Span<byte> data = p.Data;
        if (info.VlanValid)
        {
            m.VlanPresent = 1;
            m.VlanTci = info.VlanTci;
            m.VlanProto = info.VlanTpid != 0 ? info.VlanTpid : EtherType.Vlan8021Q;
        }
        else
        {
            ushort outer = BinaryPrimitives.ReadUInt16BigEndian(data[EthernetFrame.EtherTypeOffset..]);
            if (EtherType.IsVlan(outer) && data.Length >= EthernetFrame.HeaderLength + VlanHeader.HeaderLength)
            {
                // skb_vlan_untag(): the tag moves to metadata, the MAC addresses move up over it.
                m.VlanPresent = 1;
                m.VlanProto = outer;
                m.VlanTci = BinaryPrimitives.ReadUInt16BigEndian(data[EthernetFrame.HeaderLength..]);
                data[..EthernetFrame.EtherTypeOffset].CopyTo(data[VlanHeader.TagLength..]);
                p.TryPull(VlanHeader.TagLength);
                data = p.Data;
            }
        }
        m.Protocol = BinaryPrimitives.ReadUInt16BigEndian(data[EthernetFrame.EtherTypeOffset..]);
        m.ArrivalNs = info.ArrivalNs;
        m.IngressIfIndex = _device.IfIndex;
        m.IfIndex = _device.IfIndex;
        m.PacketType = info.PacketType != RxFrameInfo.UnknownPacketType ? info.PacketType : ClassifyDestination(data);
        _stats.RxPackets++;
        _stats.RxBytes += p.Length;
    }

    /// <summary>eth_type_trans()'s pkt_type from the destination address.</summary>
    private byte ClassifyDestination(ReadOnlySpan<byte> data)
    {
        MacAddress dst = MacAddress.Read(data);
        if (dst.IsBroadcast) return 1;
        if (dst.IsMulticast) return 2;
        return dst.Value == _ownMac ? (byte)0 : (byte)3;
    }

    private static int InFrameTagBytes(ReadOnlySpan<byte> frame)
    {
        ushort outer = BinaryPrimitives.ReadUInt16BigEndian(frame[EthernetFrame.EtherTypeOffset..]);
        return EtherType.IsVlan(outer) ? VlanHeader.TagLength : 0;
    }
}
