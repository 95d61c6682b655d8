using System.Globalization;

namespace Sched.Fast.Tc;

/// <summary>
/// iproute2's integer parsers (lib/utils.c get_unsigned, get_u32, get_u16, get_u8, get_integer) over C's
/// strtoul/strtol: optional leading blanks and sign, base 0 accepts "0x" hex and leading-zero octal, the whole word
/// must be consumed, and the value must fit the target type.
/// </summary>
public static class TcIntegers
{
    /// <summary>get_unsigned() / get_u32().</summary>
    public static bool TryParseUInt32(string text, int numberBase, out uint value)
    {
        value = 0;
        if (!TryStrtoul(text, numberBase, out ulong v) || v > uint.MaxValue) return false;
        value = (uint)v;
        return true;
    }

    /// <summary>get_u16().</summary>
    public static bool TryParseUInt16(string text, int numberBase, out ushort value)
    {
        value = 0;
        if (!TryStrtoul(text, numberBase, out ulong v) || v > ushort.MaxValue) return false;
        value = (ushort)v;
        return true;
    }

    /// <summary>get_u8().</summary>
    public static bool TryParseUInt8(string text, int numberBase, out byte value)
    {
        value = 0;
        if (!TryStrtoul(text, numberBase, out ulong v) || v > byte.MaxValue) return false;
        value = (byte)v;
        return true;
    }

    /// <summary>get_integer(): strtol, then the value must fit an int.</summary>
    public static bool TryParseInt32(string text, int numberBase, out int value)
    {
        value = 0;
        if (!TryDigits(text, numberBase, out bool negative, out ulong magnitude)) return false;
        if (negative ? magnitude > 1UL + int.MaxValue : magnitude > int.MaxValue) return false;
        value = negative ? (int)-(long)magnitude : (int)magnitude;
        return true;
    }

    /// <summary>strtoul() demanding the whole word: a negative number wraps as in C (and then rarely fits).</summary>
    private static bool TryStrtoul(string text, int numberBase, out ulong value)
    {
        value = 0;
        if (!TryDigits(text, numberBase, out bool negative, out ulong magnitude)) return false;
        value = negative ? unchecked(0UL - magnitude) : magnitude;
        return true;
    }

    private static bool TryDigits(string text, int numberBase, out bool negative, out ulong magnitude)
    {
        negative = false;
        magnitude = 0;
        int i = 0;
        while (i < text.Length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) i++;
        if (i < text.Length && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
        int b = numberBase;
        if ((b == 0 || b == 16) && i + 1 < text.Length && text[i] == '0' && (text[i + 1] | 0x20) == 'x' &&
            i + 2 < text.Length && Uri.IsHexDigit(text[i + 2]))
        {
            i += 2;
            b = 16;
        }
        else if (b == 0)
        {
            b = i < text.Length && text[i] == '0' ? 8 : 10;
        }
        int start = i;
        for (; i < text.Length; i++)
        {
            int d = DigitValue(text[i]);
            if (d < 0 || d >= b) return false; // trailing garbage
            ulong next = unchecked(magnitude * (ulong)b + (ulong)d);
            if (magnitude > (ulong.MaxValue - (ulong)d) / (ulong)b) return false; // ERANGE
            magnitude = next;
        }
        return i > start;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => -1,
    };

    public static string Format(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
