using System.Globalization;

namespace Sched.Fast.Shaping;

/// <summary>
/// lib/utils.c get_u32() and get_u16(): C's strtoul() with the whole word consumed. Base 10 takes an optional
/// sign ("-1" wraps and is then out of range); base 16 takes an optional "0x".
/// </summary>
internal static class CIntegers
{
    public static bool TryParseU32(string text, int numberBase, out uint value)
    {
        value = 0;
        if (!TryStrtoul(text, numberBase, out ulong v) || v > uint.MaxValue) return false;
        value = (uint)v;
        return true;
    }

    public static bool TryParseU16(string text, int numberBase, out ushort value)
    {
        value = 0;
        if (!TryStrtoul(text, numberBase, out ulong v) || v > ushort.MaxValue) return false;
        value = (ushort)v;
        return true;
    }

    private static bool TryStrtoul(string text, int numberBase, out ulong value)
    {
        value = 0;
        int i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        bool negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
        if (numberBase == 16 && i + 1 < text.Length && text[i] == '0' && (text[i + 1] is 'x' or 'X')) i += 2;
        int start = i;
        ulong acc = 0;
        bool overflow = false;
        for (; i < text.Length; i++)
        {
            int digit = numberBase == 16 && char.IsAsciiHexDigit(text[i])
                ? int.Parse(text.AsSpan(i, 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : char.IsAsciiDigit(text[i]) ? text[i] - '0' : -1;
            if (digit < 0 || digit >= numberBase) break;
            ulong next = unchecked(acc * (ulong)numberBase + (ulong)digit);
            if (acc > (ulong.MaxValue - (ulong)digit) / (ulong)numberBase) overflow = true;
            acc = next;
        }
        if (i == start || i != text.Length || overflow) return false;
        value = negative ? unchecked(0UL - acc) : acc;
        return true;
    }
}
