using System.Buffers.Binary;
using System.Globalization;

namespace Sched.Fast.Packets.Wire;

/// <summary>An IEEE 802 MAC address (48 bits), stored in the low bits of a <see cref="ulong"/>.</summary>
public readonly record struct MacAddress(ulong Value)
{
    public const int Length = 6;
    public static readonly MacAddress Broadcast = new(0xFFFF_FFFF_FFFF);

    public static MacAddress Read(ReadOnlySpan<byte> six) =>
        new(((ulong)BinaryPrimitives.ReadUInt16BigEndian(six) << 32) | BinaryPrimitives.ReadUInt32BigEndian(six[2..]));

    public void Write(Span<byte> six)
    {
        BinaryPrimitives.WriteUInt16BigEndian(six, (ushort)(Value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(six[2..], (uint)Value);
    }

    /// <summary>The group bit (I/G) of the first octet: multicast or broadcast.</summary>
    public bool IsMulticast => ((Value >> 40) & 1) != 0;
    public bool IsBroadcast => Value == Broadcast.Value;

    /// <summary>Parses "02:00:00:00:00:01".</summary>
    public static MacAddress Parse(string text)
    {
        string[] parts = text.Split(':');
        if (parts.Length != 6) throw new FormatException($"'{text}' is not a MAC address");
        ulong v = 0;
        foreach (string p in parts) v = (v << 8) | byte.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new MacAddress(v);
    }

    public override string ToString()
    {
        Span<byte> b = stackalloc byte[6];
        Write(b);
        return $"{b[0]:x2}:{b[1]:x2}:{b[2]:x2}:{b[3]:x2}:{b[4]:x2}:{b[5]:x2}";
    }
}
