using System.Buffers.Binary;

namespace Sched.Fast.Packets.Wire;

/// <summary>
/// A TCP segment (RFC 9293 section 3.1). <see cref="CheckLength"/> accepts a data offset of at least 5 words inside
/// the buffer. The segment's end is the buffer's end: slice the buffer to the IP payload first.
/// </summary>
public readonly ref struct TcpPacket
{
    public const int SourcePortOffset = 0;
    public const int DestinationPortOffset = 2;
    public const int SequenceOffset = 4;
    public const int AcknowledgmentOffset = 8;
    public const int DataOffsetOffset = 12;
    public const int FlagsOffset = 13;
    public const int WindowOffset = 14;
    public const int ChecksumOffset = 16;
    public const int UrgentPointerOffset = 18;
    public const int MinHeaderLength = 20;

    public const byte FlagFin = 0x01, FlagSyn = 0x02, FlagRst = 0x04, FlagPsh = 0x08;
    public const byte FlagAck = 0x10, FlagUrg = 0x20, FlagEce = 0x40, FlagCwr = 0x80;

    private readonly Span<byte> _buffer;

    private TcpPacket(Span<byte> buffer) => _buffer = buffer;

    public static TcpPacket CreateUnchecked(Span<byte> buffer) => new(buffer);

    public static bool CheckLength(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < MinHeaderLength) return false;
        int header = (buffer[DataOffsetOffset] >> 4) * 4;
        return header >= MinHeaderLength && header <= buffer.Length;
    }

    public static bool TryCreate(Span<byte> buffer, out TcpPacket packet)
    {
        packet = new TcpPacket(buffer);
        return CheckLength(buffer);
    }

    public Span<byte> Buffer => _buffer;

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

    public uint SequenceNumber
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[SequenceOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[SequenceOffset..], value);
    }

    public uint AcknowledgmentNumber
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[AcknowledgmentOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[AcknowledgmentOffset..], value);
    }

    /// <summary>The header length in bytes (data offset * 4), options included.</summary>
    public int HeaderLength
    {
        get => (_buffer[DataOffsetOffset] >> 4) * 4;
        set => _buffer[DataOffsetOffset] = (byte)(((value / 4) << 4) | (_buffer[DataOffsetOffset] & 0x0F));
    }

    /// <summary>The eight classic flag bits (CWR ECE URG ACK PSH RST SYN FIN).</summary>
    public byte Flags { get => _buffer[FlagsOffset]; set => _buffer[FlagsOffset] = value; }

    public bool Fin => (Flags & FlagFin) != 0;
    public bool Syn => (Flags & FlagSyn) != 0;
    public bool Rst => (Flags & FlagRst) != 0;
    public bool Psh => (Flags & FlagPsh) != 0;
    public bool Ack => (Flags & FlagAck) != 0;
    public bool Urg => (Flags & FlagUrg) != 0;
    public bool Ece => (Flags & FlagEce) != 0;
    public bool Cwr => (Flags & FlagCwr) != 0;

    public ushort Window
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[WindowOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[WindowOffset..], value);
    }

    public ushort Checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[ChecksumOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[ChecksumOffset..], value);
    }

    public ushort UrgentPointer
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[UrgentPointerOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[UrgentPointerOffset..], value);
    }

    public Span<byte> Options => _buffer[MinHeaderLength..HeaderLength];

    public Span<byte> Payload => _buffer[HeaderLength..];

    /// <summary>Computes and stores the checksum over the whole buffer given the pseudo-header sum.</summary>
    public void FillChecksum(ulong pseudoHeaderSum)
    {
        Checksum = 0;
        Checksum = Packets.Checksum.Compute(_buffer, pseudoHeaderSum);
    }

    public bool VerifyChecksum(ulong pseudoHeaderSum) => Packets.Checksum.Verify(_buffer, pseudoHeaderSum);
}
