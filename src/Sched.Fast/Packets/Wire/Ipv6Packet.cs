using System.Buffers.Binary;

namespace Sched.Fast.Packets.Wire;

/// <summary>
/// An IPv6 fixed header (RFC 8200 section 3) over a byte buffer. <see cref="CheckLength"/> accepts version 6 with the
/// payload length inside the buffer; extension headers are walked with <see cref="Ipv6ExtensionHeader"/> or found
/// past with <see cref="TryFindUpperLayer"/>.
/// </summary>
public readonly ref struct Ipv6Packet
{
    public const int VersionClassFlowOffset = 0;
    public const int PayloadLengthOffset = 4;
    public const int NextHeaderOffset = 6;
    public const int HopLimitOffset = 7;
    public const int SourceOffset = 8;
    public const int DestinationOffset = 24;
    public const int HeaderLength = 40;

    /// <summary>Extension headers walked at most before giving up (the kernel's ipv6_skip_exthdr has no cap; we bound work).</summary>
    public const int MaxExtensionHeaders = 8;

    private readonly Span<byte> _buffer;

    private Ipv6Packet(Span<byte> buffer) => _buffer = buffer;

    public static Ipv6Packet CreateUnchecked(Span<byte> buffer) => new(buffer);

    public static bool CheckLength(ReadOnlySpan<byte> buffer) =>
        buffer.Length >= HeaderLength && buffer[0] >> 4 == 6 &&
        HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(buffer[PayloadLengthOffset..]) <= buffer.Length;

    public static bool TryCreate(Span<byte> buffer, out Ipv6Packet packet)
    {
        packet = new Ipv6Packet(buffer);
        return CheckLength(buffer);
    }

    public Span<byte> Buffer => _buffer;

    private uint VersionClassFlow
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer, value);
    }

    public byte Version
    {
        get => (byte)(VersionClassFlow >> 28);
        set => VersionClassFlow = (VersionClassFlow & 0x0FFF_FFFF) | ((uint)(value & 0xF) << 28);
    }

    /// <summary>The traffic class: DSCP in the high six bits, ECN in the low two.</summary>
    public byte TrafficClass
    {
        get => (byte)(VersionClassFlow >> 20);
        set => VersionClassFlow = (VersionClassFlow & 0xF00F_FFFF) | ((uint)value << 20);
    }

    public byte Ecn { get => (byte)(TrafficClass & 3); set => TrafficClass = (byte)((TrafficClass & 0xFC) | (value & 3)); }

    public uint FlowLabel
    {
        get => VersionClassFlow & 0x000F_FFFF;
        set => VersionClassFlow = (VersionClassFlow & 0xFFF0_0000) | (value & 0x000F_FFFF);
    }

    /// <summary>Bytes after the fixed header (extension headers included).</summary>
    public ushort PayloadLength
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[PayloadLengthOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[PayloadLengthOffset..], value);
    }

    public byte NextHeader { get => _buffer[NextHeaderOffset]; set => _buffer[NextHeaderOffset] = value; }
    public byte HopLimit { get => _buffer[HopLimitOffset]; set => _buffer[HopLimitOffset] = value; }

    public Span<byte> Source => _buffer.Slice(SourceOffset, 16);
    public Span<byte> Destination => _buffer.Slice(DestinationOffset, 16);

    public UInt128 SourceAddress
    {
        get => BinaryPrimitives.ReadUInt128BigEndian(Source);
        set => BinaryPrimitives.WriteUInt128BigEndian(Source, value);
    }

    public UInt128 DestinationAddress
    {
        get => BinaryPrimitives.ReadUInt128BigEndian(Destination);
        set => BinaryPrimitives.WriteUInt128BigEndian(Destination, value);
    }

    /// <summary>The bytes after the fixed header up to the payload length.</summary>
    public Span<byte> Payload => _buffer.Slice(HeaderLength, PayloadLength);

    /// <summary>The upper-layer pseudo-header sum (RFC 8200 section 8.1).</summary>
    public ulong PseudoHeaderSum(byte upperProtocol, int upperLength) =>
        Checksum.PseudoHeaderV6(Source, Destination, upperProtocol, upperLength);

    /// <summary>
    /// Skips the extension headers (ipv6_skip_exthdr()): the upper-layer protocol and its offset from the start of
    /// this header. False when a header is truncated or there are too many. A non-first fragment reports the
    /// fragment's next header with <paramref name="isLaterFragment"/> set: its payload has no upper-layer header.
    /// </summary>
    public bool TryFindUpperLayer(out byte protocol, out int offset, out bool isLaterFragment)
    {
        protocol = NextHeader;
        offset = HeaderLength;
        isLaterFragment = false;
        int end = HeaderLength + PayloadLength;
        for (int i = 0; i < MaxExtensionHeaders && IpProtocol.IsIpv6Extension(protocol); i++)
        {
            if (!Ipv6ExtensionHeader.TryCreate(_buffer[offset..end], protocol, out Ipv6ExtensionHeader ext)) return false;
            if (protocol == IpProtocol.Ipv6Fragment && ext.FragmentOffsetBytes != 0) isLaterFragment = true;
            protocol = ext.NextHeader;
            offset += ext.Length;
            if (isLaterFragment) return true;
        }
        return !IpProtocol.IsIpv6Extension(protocol);
    }
}
