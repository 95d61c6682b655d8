using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Packets.Wire;

/// <summary>
/// An Ethernet II header (IEEE 802.3 clause 3.2) over a byte buffer: destination, source, EtherType, payload.
/// Checked contract: after <see cref="TryCreate"/> (or <see cref="CheckLength"/>) succeeded, no accessor throws.
/// </summary>
public readonly ref struct EthernetFrame
{
    public const int DestinationOffset = 0;
    public const int SourceOffset = 6;
    public const int EtherTypeOffset = 12;
    public const int HeaderLength = 14;

    private readonly Span<byte> _buffer;

    private EthernetFrame(Span<byte> buffer) => _buffer = buffer;

    /// <summary>A view without length checks: the caller guarantees <see cref="HeaderLength"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EthernetFrame CreateUnchecked(Span<byte> buffer) => new(buffer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CheckLength(ReadOnlySpan<byte> buffer) => buffer.Length >= HeaderLength;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryCreate(Span<byte> buffer, out EthernetFrame frame)
    {
        frame = new EthernetFrame(buffer);
        return CheckLength(buffer);
    }

    public Span<byte> Buffer => _buffer;

    public MacAddress Destination
    {
        get => MacAddress.Read(_buffer[DestinationOffset..]);
        set => value.Write(_buffer[DestinationOffset..]);
    }

    public MacAddress Source
    {
        get => MacAddress.Read(_buffer[SourceOffset..]);
        set => value.Write(_buffer[SourceOffset..]);
    }

    public ushort EtherType
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[EtherTypeOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[EtherTypeOffset..], value);
    }

    public Span<byte> Payload => _buffer[HeaderLength..];
}
