using System.Buffers.Binary;
using Bpf.Native.Execution;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// bpf_skb_vlan_push and bpf_skb_vlan_pop (net/core/skbuff.c skb_vlan_push(), skb_vlan_pop()). The outer tag lives
/// in metadata (the kernel's hardware-accelerated tag); pushing when one is there first moves it into the frame
/// after the MAC addresses, popping moves the next in-frame tag up into metadata.
/// </summary>
public static unsafe class VlanHelpers
{
    public const ushort Vlan8021Q = 0x8100;
    public const ushort Vlan8021AD = 0x88a8;
    private const int MacAddressesBytes = 12;
    private const int TagBytes = 4;
    private const int EthernetHeaderBytes = 14;

    /// <summary>bpf_skb_vlan_push(skb, vlan_proto (network order), vlan_tci): 0 or -errno.</summary>
    public static ulong SkbVlanPush(BpfRunContext* run, ulong ctx, ulong vlanProto, ulong vlanTci, ulong r4, ulong r5)
    {
        if (!SkbView.TryGet(run, out SkbView skb))
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        ushort proto = BinaryPrimitives.ReverseEndianness((ushort)vlanProto);
        if (proto is not (Vlan8021Q or Vlan8021AD))
        {
            proto = Vlan8021Q;
        }
        if (skb.VlanPresent != 0)
        {
            int inserted = InsertTag(skb, skb.VlanProto, skb.VlanTci);
            if (inserted != 0)
            {
                return TcErrno.Result(inserted);
            }
            skb.Protocol = skb.VlanProto;
        }
        skb.VlanProto = proto;
        skb.VlanTci = (ushort)vlanTci;
        skb.VlanPresent = 1;
        skb.Refresh();
        return 0;
    }

    /// <summary>bpf_skb_vlan_pop(skb): 0 or -errno.</summary>
    public static ulong SkbVlanPop(BpfRunContext* run, ulong ctx, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (!SkbView.TryGet(run, out SkbView skb))
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        if (skb.VlanPresent != 0)
        {
            skb.VlanPresent = 0;
        }
        else
        {
            if (!IsVlan(skb.Protocol))
            {
                return 0;
            }
            int popped = RemoveTag(skb, out _);
            if (popped != 0)
            {
                return TcErrno.Result(popped);
            }
        }
        if (!IsVlan(skb.Protocol))
        {
            skb.Refresh();
            return 0;
        }
        ushort innerProto = skb.Protocol;
        int result = RemoveTag(skb, out ushort tci);
        if (result != 0)
        {
            return TcErrno.Result(result);
        }
        skb.VlanProto = innerProto;
        skb.VlanTci = tci;
        skb.VlanPresent = 1;
        return 0;
    }

    public static bool IsVlan(ushort protocol) => protocol is Vlan8021Q or Vlan8021AD;

    /// <summary>__vlan_insert_tag(): a tag after the MAC addresses; the frame's own EtherType follows it.</summary>
    private static int InsertTag(SkbView skb, ushort proto, ushort tci)
    {
        if (skb.Length < EthernetHeaderBytes)
        {
            return TcErrno.Invalid;
        }
        if (skb.PushHead(TagBytes) != 0)
        {
            return TcErrno.NoMemory;
        }
        byte* data = skb.Data;
        Buffer.MemoryCopy(data + TagBytes, data, MacAddressesBytes, MacAddressesBytes);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(data + MacAddressesBytes, 2), proto);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(data + MacAddressesBytes + 2, 2), tci);
        return 0;
    }

    /// <summary>__skb_vlan_pop(): takes the in-frame tag out; the protocol becomes the encapsulated one.</summary>
    private static int RemoveTag(SkbView skb, out ushort tci)
    {
        tci = 0;
        if (skb.Length < EthernetHeaderBytes + TagBytes)
        {
            return TcErrno.NoMemory;
        }
        byte* data = skb.Data;
        tci = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(data + EthernetHeaderBytes, 2));
        ushort encapsulated = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(data + EthernetHeaderBytes + 2, 2));
        ushort following = skb.Length >= EthernetHeaderBytes + TagBytes + 2
            ? BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(data + EthernetHeaderBytes + TagBytes, 2))
            : (ushort)0;
        Buffer.MemoryCopy(data, data + TagBytes, MacAddressesBytes, MacAddressesBytes);
        skb.PushHead(-TagBytes);
        // vlan_set_encap_proto(): an EtherType, or 802.3 raw (IPX's 0xFFFF) / 802.2 LLC.
        skb.Protocol = encapsulated >= 0x0600 ? encapsulated : following == 0xffff ? (ushort)0x0001 : (ushort)0x0004;
        return 0;
    }
}
