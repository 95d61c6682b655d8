using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Packets.Wire;

/// <summary>
/// An IEEE 802.1Q / 802.1ad tag as it follows a VLAN EtherType (0x8100, 0x88a8): the tag control information
/// (PCP 3 bits, DEI 1 bit, VID 12 bits) and the encapsulated EtherType. The view starts after the TPID.
/// </summary>
public readonly ref struct VlanHeader
{
    public const int TciOffset = 0;
    public const int EtherTypeOffset = 2;
    public const int HeaderLength = 4;

    /// <summary>Bytes a tag adds to a frame (TPID + TCI): VLAN_HLEN.</summary>
    public const int TagLength = 4;

    private readonly Span<byte> _buffer;

    private VlanHeader(Span<byte> buffer) => _buffer = buffer;

    public static VlanHeader CreateUnchecked(Span<byte> buffer) => new(buffer);

    public static bool CheckLength(ReadOnlySpan<byte> buffer) => buffer.Length >= HeaderLength;

    public static bool TryCreate(Span<byte> buffer, out VlanHeader header)
    {
        header = new VlanHeader(buffer);
        return CheckLength(buffer);
    }

    public ushort Tci
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[TciOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[TciOffset..], value);
    }

    /// <summary>Priority code point (802.1p).</summary>
    public byte Pcp
    {
        get => (byte)(Tci >> 13);
        set => Tci = (ushort)((Tci & 0x1FFF) | ((value & 7) << 13));
    }

    /// <summary>Drop eligible indicator.</summary>
    public bool Dei
    {
        get => (Tci & 0x1000) != 0;
        set => Tci = (ushort)(value ? Tci | 0x1000 : Tci & ~0x1000);
    }

    public ushort VlanId
    {
        get => (ushort)(Tci & 0x0FFF);
        set => Tci = (ushort)((Tci & 0xF000) | (value & 0x0FFF));
    }

    public ushort EtherType
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[EtherTypeOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[EtherTypeOffset..], value);
    }

    public Span<byte> Payload => _buffer[HeaderLength..];
}
