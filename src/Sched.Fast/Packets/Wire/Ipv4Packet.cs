using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Packets.Wire;

/// <summary>
/// An IPv4 header with options (RFC 791 section 3.1) over a byte buffer. <see cref="CheckLength"/> accepts a buffer
/// whose version is 4, whose IHL is at least 5 and fits, and whose total length covers the header and fits the
/// buffer; after that no accessor throws. Bytes past the total length (Ethernet padding) are not payload.
/// </summary>
public readonly ref struct Ipv4Packet
{
    public const int VersionIhlOffset = 0;
    public const int TosOffset = 1;
    public const int TotalLengthOffset = 2;
    public const int IdentificationOffset = 4;
    public const int FlagsFragmentOffset = 6;
    public const int TtlOffset = 8;
    public const int ProtocolOffset = 9;
    public const int ChecksumOffset = 10;
    public const int SourceOffset = 12;
    public const int DestinationOffset = 16;
    public const int MinHeaderLength = 20;
    public const int MaxHeaderLength = 60;

    public const ushort FlagDontFragment = 0x4000;
    public const ushort FlagMoreFragments = 0x2000;
    public const ushort FragmentOffsetMask = 0x1FFF;

    private readonly Span<byte> _buffer;

    private Ipv4Packet(Span<byte> buffer) => _buffer = buffer;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ipv4Packet CreateUnchecked(Span<byte> buffer) => new(buffer);

    public static bool CheckLength(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < MinHeaderLength) return false;
        if (buffer[0] >> 4 != 4) return false;
        int ihl = (buffer[0] & 0x0F) * 4;
        if (ihl < MinHeaderLength || buffer.Length < ihl) return false;
        int total = BinaryPrimitives.ReadUInt16BigEndian(buffer[TotalLengthOffset..]);
        return total >= ihl && total <= buffer.Length;
    }

    public static bool TryCreate(Span<byte> buffer, out Ipv4Packet packet)
    {
        packet = new Ipv4Packet(buffer);
        return CheckLength(buffer);
    }

    public Span<byte> Buffer => _buffer;

    public byte Version
    {
        get => (byte)(_buffer[VersionIhlOffset] >> 4);
        set => _buffer[VersionIhlOffset] = (byte)((value << 4) | (_buffer[VersionIhlOffset] & 0x0F));
    }

    /// <summary>The header length in bytes (IHL * 4), options included.</summary>
    public int HeaderLength
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (_buffer[VersionIhlOffset] & 0x0F) * 4;
        set => _buffer[VersionIhlOffset] = (byte)((_buffer[VersionIhlOffset] & 0xF0) | ((value / 4) & 0x0F));
    }

    /// <summary>The type-of-service byte: DSCP in the high six bits, ECN in the low two (RFC 2474, RFC 3168).</summary>
    public byte Tos { get => _buffer[TosOffset]; set => _buffer[TosOffset] = value; }
    public byte Dscp { get => (byte)(Tos >> 2); set => Tos = (byte)((value << 2) | (Tos & 3)); }
    public byte Ecn { get => (byte)(Tos & 3); set => Tos = (byte)((Tos & 0xFC) | (value & 3)); }

    public ushort TotalLength
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[TotalLengthOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[TotalLengthOffset..], value);
    }

    public ushort Identification
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[IdentificationOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[IdentificationOffset..], value);
    }

    /// <summary>The flags and fragment offset word.</summary>
    public ushort FlagsFragment
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[FlagsFragmentOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[FlagsFragmentOffset..], value);
    }

    public bool DontFragment
    {
        get => (FlagsFragment & FlagDontFragment) != 0;
        set => FlagsFragment = (ushort)(value ? FlagsFragment | FlagDontFragment : FlagsFragment & ~FlagDontFragment);
    }

    public bool MoreFragments
    {
        get => (FlagsFragment & FlagMoreFragments) != 0;
        set => FlagsFragment = (ushort)(value ? FlagsFragment | FlagMoreFragments : FlagsFragment & ~FlagMoreFragments);
    }

    /// <summary>The fragment offset in bytes (the field counts 8-byte units).</summary>
    public int FragmentOffsetBytes
    {
        get => (FlagsFragment & FragmentOffsetMask) * 8;
        set => FlagsFragment = (ushort)((FlagsFragment & ~FragmentOffsetMask) | ((value / 8) & FragmentOffsetMask));
    }

    /// <summary>A fragment of a larger datagram (offset or MF set): ip_is_fragment().</summary>
    public bool IsFragment => (FlagsFragment & (FlagMoreFragments | FragmentOffsetMask)) != 0;

    public byte Ttl { get => _buffer[TtlOffset]; set => _buffer[TtlOffset] = value; }

    public byte Protocol
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _buffer[ProtocolOffset];
        set => _buffer[ProtocolOffset] = value;
    }

    public ushort Checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[ChecksumOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[ChecksumOffset..], value);
    }

    /// <summary>The source address, most significant byte first (198.18.0.1 is 0xC6120001).</summary>
    public uint Source
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[SourceOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[SourceOffset..], value);
    }

    public uint Destination
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[DestinationOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[DestinationOffset..], value);
    }

    public Span<byte> SourceBytes => _buffer.Slice(SourceOffset, 4);
    public Span<byte> DestinationBytes => _buffer.Slice(DestinationOffset, 4);

    /// <summary>The options between the fixed header and the payload (empty when IHL is 5).</summary>
    public Span<byte> Options => _buffer[MinHeaderLength..HeaderLength];

    public Ipv4OptionReader ReadOptions() => new(Options);

    /// <summary>The bytes after the header up to the total length.</summary>
    public Span<byte> Payload => _buffer[HeaderLength..TotalLength];

    /// <summary>The header's checksum over its current contents, as it should be stored.</summary>
    public ushort ComputeChecksum()
    {
        ulong sum = Packets.Checksum.Sum(_buffer[..HeaderLength]) - Checksum;
        return (ushort)~Packets.Checksum.Fold(sum);
    }

    public void FillChecksum()
    {
        Checksum = 0;
        Checksum = Packets.Checksum.Compute(_buffer[..HeaderLength]);
    }

    public bool VerifyChecksum() => Packets.Checksum.Verify(_buffer[..HeaderLength]);

    /// <summary>The TCP/UDP pseudo-header sum for an L4 length of <paramref name="l4Length"/> (RFC 793 section 3.1).</summary>
    public ulong PseudoHeaderSum(int l4Length) =>
        Packets.Checksum.PseudoHeaderV4(SourceBytes, DestinationBytes, Protocol, l4Length);
}
