using System.Buffers.Binary;
using Bpf.Native.Execution;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// Helpers that reshape the frame (net/core/filter.c bpf_skb_change_proto, _change_type, _change_tail,
/// _change_head, _adjust_room). The frame is moved inside the packet's buffer through the host
/// (<see cref="TcSkbHost"/>), so a change needs headroom or tailroom there: where the kernel would reallocate the
/// buffer, these return -ENOMEM. Packet pointers a program held before the call are stale afterwards, which is what
/// the kernel's verifier assumes for these helpers. The network header is always right after the MAC header.
/// </summary>
public static unsafe class ReshapeHelpers
{
    /// <summary>BPF_SKB_MAX_LEN (SKB_MAX_ALLOC on x86-64): the longest frame the grow helpers make.</summary>
    public const int MaxLengthBytes = 16384 - 320;

    public const ushort EtherTypeIpv4 = 0x0800;
    public const ushort EtherTypeIpv6 = 0x86dd;
    private const int Ipv4HeaderBytes = 20;
    private const int Ipv6HeaderBytes = 40;

    // bpf_skb_adjust_room modes and flags.
    public const uint AdjustRoomNet = 0;
    public const uint AdjustRoomMac = 1;
    public const ulong AdjustRoomFixedGso = 1UL << 0;
    public const ulong AdjustRoomEncapL3Ipv4 = 1UL << 1;
    public const ulong AdjustRoomEncapL3Ipv6 = 1UL << 2;
    public const ulong AdjustRoomEncapL4Gre = 1UL << 3;
    public const ulong AdjustRoomEncapL4Udp = 1UL << 4;
    public const ulong AdjustRoomNoCsumReset = 1UL << 5;
    public const ulong AdjustRoomEncapL2Eth = 1UL << 6;
    public const int AdjustRoomEncapL2Shift = 56;
    private const ulong AdjustRoomMask = AdjustRoomFixedGso | AdjustRoomEncapL3Ipv4 | AdjustRoomEncapL3Ipv6
        | AdjustRoomEncapL4Gre | AdjustRoomEncapL4Udp | AdjustRoomEncapL2Eth | (0xffUL << AdjustRoomEncapL2Shift);

    /// <summary>bpf_skb_change_proto(skb, proto (network order), flags): IPv4 to IPv6 and back, the IP header room only.</summary>
    public static ulong SkbChangeProto(BpfRunContext* run, ulong ctx, ulong proto, ulong flags, ulong r4, ulong r5)
    {
        if (flags != 0 || !SkbView.TryGet(run, out SkbView skb))
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        ushort to = BinaryPrimitives.ReverseEndianness((ushort)proto);
        const int diff = Ipv6HeaderBytes - Ipv4HeaderBytes;
        int result;
        if (skb.Protocol == EtherTypeIpv4 && to == EtherTypeIpv6)
        {
            result = NetHeaderPush(skb, skb.MacHeaderBytes, diff);
        }
        else if (skb.Protocol == EtherTypeIpv6 && to == EtherTypeIpv4)
        {
            result = NetHeaderPop(skb, skb.MacHeaderBytes, diff);
        }
        else
        {
            return TcErrno.Result(TcErrno.NotSupported);
        }
        if (result == 0)
        {
            skb.Protocol = to;
            skb.ClearHash();
        }
        return TcErrno.Result(result);
    }

    /// <summary>bpf_skb_change_type(skb, pkt_type): only among host, broadcast, multicast and other host (0-3).</summary>
    public static ulong SkbChangeType(BpfRunContext* run, ulong ctx, ulong packetType, ulong r3, ulong r4, ulong r5)
    {
        if (!SkbView.TryGet(run, out SkbView skb) || skb.PacketType > 3 || (uint)packetType > 3)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        skb.PacketType = (byte)packetType;
        return 0;
    }

    /// <summary>bpf_skb_change_tail(skb, len, flags): grows (with zeroes) or trims the frame to len.</summary>
    public static ulong SkbChangeTail(BpfRunContext* run, ulong ctx, ulong newLength, ulong flags, ulong r4, ulong r5)
    {
        if (!SkbView.TryGet(run, out SkbView skb))
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        uint length = (uint)newLength;
        if (flags != 0 || length > MaxLengthBytes || length < (uint)skb.MacHeaderBytes)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        int old = skb.Length;
        if (length == (uint)old)
        {
            skb.Refresh();
            return 0;
        }
        if (skb.SetLength((int)length) != 0)
        {
            return TcErrno.Result(TcErrno.NoMemory);
        }
        if (length > (uint)old)
        {
            new Span<byte>(skb.Data + old, (int)length - old).Clear();
        }
        return 0;
    }

    /// <summary>bpf_skb_change_head(skb, head_room, flags): head_room zero bytes in front of the frame.</summary>
    public static ulong SkbChangeHead(BpfRunContext* run, ulong ctx, ulong headRoom, ulong flags, ulong r4, ulong r5)
    {
        if (!SkbView.TryGet(run, out SkbView skb))
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        uint room = (uint)headRoom;
        ulong length = (ulong)skb.Length + room;
        if (flags != 0 || length > MaxLengthBytes)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        if (skb.PushHead((int)room) != 0)
        {
            return TcErrno.Result(TcErrno.NoMemory);
        }
        new Span<byte>(skb.Data, (int)room).Clear();
        return 0;
    }

    /// <summary>
    /// bpf_skb_adjust_room(skb, len_diff, mode, flags): room added (zeroed) or removed after the MAC header
    /// (BPF_ADJ_ROOM_MAC) or after the IP header (BPF_ADJ_ROOM_NET), for IPv4 and IPv6 frames. The encapsulation
    /// flags are checked as the kernel checks them and switch the protocol when the outer L3 changes; the inner
    /// header offsets the kernel records for offloads have no use here.
    /// </summary>
    public static ulong SkbAdjustRoom(BpfRunContext* run, ulong ctx, ulong lengthDiff, ulong mode, ulong flags, ulong r5)
    {
        if (!SkbView.TryGet(run, out SkbView skb) || (flags & ~(AdjustRoomMask | AdjustRoomNoCsumReset)) != 0)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        int diff = (int)(uint)lengthDiff;
        uint diffAbs = (uint)Math.Abs((long)diff);
        bool shrink = diff < 0;
        if (diffAbs > 0xfff)
        {
            return TcErrno.Result(TcErrno.Fault);
        }
        int baseLength = skb.Protocol switch
        {
            EtherTypeIpv4 => Ipv4HeaderBytes,
            EtherTypeIpv6 => Ipv6HeaderBytes,
            _ => -1,
        };
        if (baseLength < 0)
        {
            return TcErrno.Result(TcErrno.NotSupported);
        }
        int offset = skb.MacHeaderBytes;
        switch ((uint)mode)
        {
            case AdjustRoomNet:
                offset += baseLength;
                break;
            case AdjustRoomMac:
                break;
            default:
                return TcErrno.Result(TcErrno.NotSupported);
        }
        long current = skb.Length - (long)skb.MacHeaderBytes;
        if ((shrink && (diffAbs >= current || current - diffAbs < baseLength))
            || (!shrink && skb.Length + (long)diffAbs > MaxLengthBytes))
        {
            return TcErrno.Result(TcErrno.NotSupported);
        }
        if (shrink)
        {
            if ((flags & ~(AdjustRoomFixedGso | AdjustRoomNoCsumReset)) != 0)
            {
                return TcErrno.Result(TcErrno.Invalid);
            }
            return TcErrno.Result(NetHeaderPop(skb, offset, (int)diffAbs));
        }

        bool encapsulate = (flags & (AdjustRoomEncapL3Ipv4 | AdjustRoomEncapL3Ipv6)) != 0;
        if (encapsulate)
        {
            uint innerMacBytes = (uint)(flags >> AdjustRoomEncapL2Shift);
            if ((flags & AdjustRoomEncapL3Ipv4) != 0 && (flags & AdjustRoomEncapL3Ipv6) != 0
                || (flags & AdjustRoomEncapL4Gre) != 0 && (flags & AdjustRoomEncapL4Udp) != 0
                || (flags & AdjustRoomEncapL2Eth) != 0 && innerMacBytes < 14
                || innerMacBytes > diffAbs)
            {
                return TcErrno.Result(TcErrno.Invalid);
            }
        }
        int result = NetHeaderPush(skb, offset, (int)diffAbs);
        if (result == 0 && encapsulate)
        {
            if (skb.Protocol == EtherTypeIpv4 && (flags & AdjustRoomEncapL3Ipv6) != 0)
            {
                skb.Protocol = EtherTypeIpv6;
            }
            else if (skb.Protocol == EtherTypeIpv6 && (flags & AdjustRoomEncapL3Ipv4) != 0)
            {
                skb.Protocol = EtherTypeIpv4;
            }
        }
        return TcErrno.Result(result);
    }

    /// <summary>bpf_skb_net_hdr_push(): length zero bytes inserted at offset (the first offset bytes move to the front).</summary>
    private static int NetHeaderPush(SkbView skb, int offset, int length)
    {
        if (skb.PushHead(length) != 0)
        {
            return TcErrno.NoMemory;
        }
        byte* data = skb.Data;
        Buffer.MemoryCopy(data + length, data, offset, offset);
        new Span<byte>(data + offset, length).Clear();
        return 0;
    }

    /// <summary>bpf_skb_net_hdr_pop(): length bytes removed at offset.</summary>
    private static int NetHeaderPop(SkbView skb, int offset, int length)
    {
        if ((long)offset + length > skb.Length)
        {
            return TcErrno.NoMemory;
        }
        byte* old = skb.Data;
        Buffer.MemoryCopy(old, old + length, offset, offset);
        skb.PushHead(-length);
        return 0;
    }
}
