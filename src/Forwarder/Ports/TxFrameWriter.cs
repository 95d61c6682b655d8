using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;

namespace Forwarder.Ports;

/// <summary>
/// Writes a packet's frame as it must appear on the wire: a VLAN tag held in metadata is put back in front of the
/// EtherType (validate_xmit_vlan() / __vlan_hwaccel_push_inside()). Also the MTU check a device applies
/// (is_skb_forwardable(): the L2 payload may exceed the MTU by one VLAN tag).
/// </summary>
public static class TxFrameWriter
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WireLength(Packet p) => p.Length + (p.Meta.VlanPresent != 0 ? VlanHeader.TagLength : 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool FitsMtu(Packet p, int mtu) =>
        p.Length >= EthernetFrame.HeaderLength && WireLength(p) <= mtu + EthernetFrame.HeaderLength + VlanHeader.TagLength;

    /// <summary>Copies the wire frame into <paramref name="destination"/>; returns its length, or -1 when it does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Packet p, Span<byte> destination)
    {
        ReadOnlySpan<byte> data = p.Data;
        ref PacketMetadata m = ref p.Meta;
        if (m.VlanPresent == 0)
        {
            if (data.Length > destination.Length) return -1;
            data.CopyTo(destination);
            return data.Length;
        }
        int length = data.Length + VlanHeader.TagLength;
        if (length > destination.Length || data.Length < EthernetFrame.HeaderLength) return -1;
        data[..EthernetFrame.EtherTypeOffset].CopyTo(destination);
        WriteTag(p, destination[EthernetFrame.EtherTypeOffset..]);
        data[EthernetFrame.EtherTypeOffset..].CopyTo(destination[(EthernetFrame.HeaderLength + 2)..]);
        return length;
    }

    /// <summary>The 4-byte tag held in metadata as it goes on the wire: TPID, then TCI, both big-endian.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteTag(Packet p, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, p.Meta.VlanProto);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], p.Meta.VlanTci);
    }
}
