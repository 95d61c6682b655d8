using System.Buffers.Binary;

namespace Sched.Fast.Packets.Wire;

/// <summary>
/// A UDP datagram (RFC 768). <see cref="CheckLength"/> accepts a length field of at least 8 within the buffer.
/// A zero checksum means "none" over IPv4; a computed zero is sent as 0xFFFF.
/// </summary>
public readonly ref struct UdpPacket
{
    public const int SourcePortOffset = 0;
    public const int DestinationPortOffset = 2;
    public const int LengthOffset = 4;
    public const int ChecksumOffset = 6;
    public const int HeaderLength = 8;

    private readonly Span<byte> _buffer;

    private UdpPacket(Span<byte> buffer) => _buffer = buffer;

    public static UdpPacket CreateUnchecked(Span<byte> buffer) => new(buffer);

    public static bool CheckLength(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < HeaderLength) return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(buffer[LengthOffset..]);
        return length >= HeaderLength && length <= buffer.Length;
    }

    public static bool TryCreate(Span<byte> buffer, out UdpPacket packet)
    {
        packet = new UdpPacket(buffer);
        return CheckLength(buffer);
    }

    public ushort SourcePort
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[SourcePortOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[SourcePortOffset..], value);
    }

    public ushort DestinationPort
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[DestinationPortOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[DestinationPortOffset..], value);
    }

    /// <summary>Header plus payload, in bytes.</summary>
    public ushort Length
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[LengthOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[LengthOffset..], value);
    }

    public ushort Checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[ChecksumOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[ChecksumOffset..], value);
    }

    public Span<byte> Payload => _buffer[HeaderLength..Length];

    /// <summary>Computes and stores the checksum given the IP pseudo-header sum for this datagram's length.</summary>
    public void FillChecksum(ulong pseudoHeaderSum)
    {
        Checksum = 0;
        ushort c = Packets.Checksum.Compute(_buffer[..Length], pseudoHeaderSum);
        Checksum = c == 0 ? (ushort)0xFFFF : c;
    }

    public bool VerifyChecksum(ulong pseudoHeaderSum) =>
        Checksum == 0 || Packets.Checksum.Verify(_buffer[..Length], pseudoHeaderSum);
}
