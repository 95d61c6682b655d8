namespace Sched.Fast.Packets.Wire;

/// <summary>
/// Walks IPv4 options (RFC 791 section 3.1): end-of-list (0) stops, no-operation (1) is a single byte, any other
/// option is type, length (counting both), data. A malformed length ends the walk with <see cref="IsMalformed"/>.
/// </summary>
public ref struct Ipv4OptionReader
{
    public const byte EndOfList = 0;
    public const byte NoOperation = 1;
    public const byte RecordRoute = 7;
    public const byte Timestamp = 68;
    public const byte RouterAlert = 148;

    private readonly ReadOnlySpan<byte> _options;
    private int _offset;

    public Ipv4OptionReader(ReadOnlySpan<byte> options)
    {
        _options = options;
        _offset = 0;
        Type = 0;
        Data = default;
        IsMalformed = false;
    }

    public byte Type { get; private set; }

    /// <summary>The option's data, after its type and length bytes.</summary>
    public ReadOnlySpan<byte> Data { get; private set; }

    public bool IsMalformed { get; private set; }

    /// <summary>Advances to the next option; false at the end of the list or on a malformed option.</summary>
    public bool MoveNext()
    {
        while (_offset < _options.Length)
        {
            byte type = _options[_offset];
            if (type == EndOfList) return false;
            if (type == NoOperation)
            {
                _offset++;
                continue;
            }
            if (_offset + 2 > _options.Length) return Malformed();
            int length = _options[_offset + 1];
            if (length < 2 || _offset + length > _options.Length) return Malformed();
            Type = type;
            Data = _options.Slice(_offset + 2, length - 2);
            _offset += length;
            return true;
        }
        return false;
    }

    private bool Malformed()
    {
        IsMalformed = true;
        return false;
    }
}
