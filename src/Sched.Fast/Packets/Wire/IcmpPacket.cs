using System.Buffers.Binary;

namespace Sched.Fast.Packets.Wire;

/// <summary>
/// An ICMP message (RFC 792) or ICMPv6 message (RFC 4443 section 2.1): both share type, code, checksum and a 4-byte
/// rest-of-header (identifier and sequence number for echo). ICMPv4's checksum covers the message alone; ICMPv6's
/// also covers the IPv6 pseudo-header, so pass its sum.
/// </summary>
public readonly ref struct IcmpPacket
{
    public const int TypeOffset = 0;
    public const int CodeOffset = 1;
    public const int ChecksumOffset = 2;
    public const int IdentifierOffset = 4;
    public const int SequenceOffset = 6;
    public const int HeaderLength = 8;

    public const byte V4EchoReply = 0, V4DestinationUnreachable = 3, V4EchoRequest = 8, V4TimeExceeded = 11;
    public const byte V6DestinationUnreachable = 1, V6PacketTooBig = 2, V6TimeExceeded = 3;
    public const byte V6EchoRequest = 128, V6EchoReply = 129, V6NeighborSolicitation = 135, V6NeighborAdvertisement = 136;

    private readonly Span<byte> _buffer;

    private IcmpPacket(Span<byte> buffer) => _buffer = buffer;

    public static IcmpPacket CreateUnchecked(Span<byte> buffer) => new(buffer);

    public static bool CheckLength(ReadOnlySpan<byte> buffer) => buffer.Length >= HeaderLength;

    public static bool TryCreate(Span<byte> buffer, out IcmpPacket packet)
    {
        packet = new IcmpPacket(buffer);
        return CheckLength(buffer);
    }

    public byte Type { get => _buffer[TypeOffset]; set => _buffer[TypeOffset] = value; }
    public byte Code { get => _buffer[CodeOffset]; set => _buffer[CodeOffset] = value; }

    public ushort Checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[ChecksumOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[ChecksumOffset..], value);
    }

    /// <summary>Echo identifier (the first half of the rest-of-header).</summary>
    public ushort Identifier
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[IdentifierOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[IdentifierOffset..], value);
    }

    public ushort SequenceNumber
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[SequenceOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[SequenceOffset..], value);
    }

    /// <summary>The 32-bit rest-of-header word (MTU for packet-too-big, pointer for parameter problems).</summary>
    public uint RestOfHeader
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[IdentifierOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[IdentifierOffset..], value);
    }

    public Span<byte> Payload => _buffer[HeaderLength..];

    /// <param name="pseudoHeaderSum">0 for ICMPv4; the IPv6 pseudo-header sum for ICMPv6.</param>
    public void FillChecksum(ulong pseudoHeaderSum = 0)
    {
        Checksum = 0;
        Checksum = Packets.Checksum.Compute(_buffer, pseudoHeaderSum);
    }

    public bool VerifyChecksum(ulong pseudoHeaderSum = 0) => Packets.Checksum.Verify(_buffer, pseudoHeaderSum);
}
