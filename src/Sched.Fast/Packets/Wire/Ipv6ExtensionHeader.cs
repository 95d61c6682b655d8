using System.Buffers.Binary;

namespace Sched.Fast.Packets.Wire;

/// <summary>
/// One IPv6 extension header (RFC 8200 section 4): hop-by-hop options, routing and destination options (next header,
/// length in 8-octet units not counting the first), fragment (fixed 8 bytes: offset, M flag, identification), and
/// the authentication header (RFC 4302: length in 4-octet units minus 2).
/// </summary>
public readonly ref struct Ipv6ExtensionHeader
{
    public const int NextHeaderOffset = 0;
    public const int LengthOffset = 1;
    public const int FragmentOffsetOffset = 2;
    public const int FragmentIdentificationOffset = 4;
    public const int MinLength = 8;

    private readonly Span<byte> _buffer;
    private readonly byte _kind;

    private Ipv6ExtensionHeader(Span<byte> buffer, byte kind)
    {
        _buffer = buffer;
        _kind = kind;
    }

    public static Ipv6ExtensionHeader CreateUnchecked(Span<byte> buffer, byte kind) => new(buffer, kind);

    public static bool CheckLength(ReadOnlySpan<byte> buffer, byte kind) =>
        buffer.Length >= MinLength && buffer.Length >= LengthOf(buffer, kind);

    /// <param name="kind">The next-header value that announced this header (0, 43, 44, 51 or 60).</param>
    public static bool TryCreate(Span<byte> buffer, byte kind, out Ipv6ExtensionHeader header)
    {
        header = new Ipv6ExtensionHeader(buffer, kind);
        return CheckLength(buffer, kind);
    }

    private static int LengthOf(ReadOnlySpan<byte> buffer, byte kind) => kind switch
    {
        IpProtocol.Ipv6Fragment => 8,
        IpProtocol.Ah => (buffer[LengthOffset] + 2) * 4,
        _ => (buffer[LengthOffset] + 1) * 8,
    };

    /// <summary>The next-header value that announced this header.</summary>
    public byte Kind => _kind;

    public byte NextHeader { get => _buffer[NextHeaderOffset]; set => _buffer[NextHeaderOffset] = value; }

    /// <summary>This header's length in bytes.</summary>
    public int Length => LengthOf(_buffer, _kind);

    /// <summary>The options area of a hop-by-hop or destination options header (after the two fixed bytes).</summary>
    public Span<byte> Data => _buffer[2..Length];

    /// <summary>Fragment header: the offset of this fragment's data in bytes.</summary>
    public int FragmentOffsetBytes
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[FragmentOffsetOffset..]) & 0xFFF8;
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[FragmentOffsetOffset..],
            (ushort)((value & 0xFFF8) | (BinaryPrimitives.ReadUInt16BigEndian(_buffer[FragmentOffsetOffset..]) & 7)));
    }

    /// <summary>Fragment header: the M flag (more fragments follow).</summary>
    public bool MoreFragments
    {
        get => (_buffer[FragmentOffsetOffset + 1] & 1) != 0;
        set => _buffer[FragmentOffsetOffset + 1] = (byte)(value ? _buffer[FragmentOffsetOffset + 1] | 1 : _buffer[FragmentOffsetOffset + 1] & ~1);
    }

    public uint FragmentIdentification
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[FragmentIdentificationOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[FragmentIdentificationOffset..], value);
    }
}
