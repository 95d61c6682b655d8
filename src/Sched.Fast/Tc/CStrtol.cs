namespace Sched.Fast.Tc;

/// <summary>
/// C's strtoul()/strtol() and iproute2's wrappers over them (lib/utils.c get_u32(), get_u16(), get_u8(),
/// get_integer(), get_unsigned()), so numbers are accepted and refused exactly as tc accepts and refuses them:
/// base 0 takes "0x" hex and leading-zero octal, a leading '-' wraps modulo 2^64, trailing garbage fails.
/// </summary>
public static class CStrtol
{
    /// <summary>
    /// strtoul(s + start, &amp;end, numberBase) on a 64-bit unsigned long. <paramref name="end"/> is where parsing
    /// stopped (== <paramref name="start"/> when no digits were found); <paramref name="overflow"/> is ERANGE.
    /// </summary>
    public static ulong Strtoul(string s, int start, int numberBase, out int end, out bool overflow)
    {
        int i = SkipSpaceAndSign(s, start, out bool negative);
        ulong value = Digits(s, i, numberBase, out end, out overflow);
        if (end == i)
        {
            end = start;
            return 0;
        }
        if (overflow) return ulong.MaxValue;
        return negative ? unchecked(0UL - value) : value;
    }

    /// <summary>What strtoul() and strtol() skip before the digits: C white space, then one optional sign.</summary>
    private static int SkipSpaceAndSign(string s, int start, out bool negative)
    {
        int i = start;
        while (i < s.Length && IsCSpace(s[i])) i++;
        negative = i < s.Length && s[i] == '-';
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
        return i;
    }

    /// <summary>strtol() on a 64-bit long: clamps to long.MinValue/MaxValue with <paramref name="overflow"/>.</summary>
    public static long Strtol(string s, int start, int numberBase, out int end, out bool overflow)
    {
        int i = SkipSpaceAndSign(s, start, out bool negative);
        ulong magnitude = Digits(s, i, numberBase, out end, out overflow);
        if (end == i)
        {
            end = start;
            return 0;
        }
        if (negative)
        {
            if (overflow || magnitude > 1UL << 63)
            {
                overflow = true;
                return long.MinValue;
            }
            return unchecked(-(long)magnitude);
        }
        if (overflow || magnitude > long.MaxValue)
        {
            overflow = true;
            return long.MaxValue;
        }
        return (long)magnitude;
    }

    /// <summary>The digits after any sign: base 0 or 16 take a "0x" prefix, base 0 a leading-zero octal.</summary>
    private static ulong Digits(string s, int i, int numberBase, out int end, out bool overflow)
    {
        overflow = false;
        int b = numberBase;
        if ((b == 0 || b == 16) && i + 2 < s.Length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
            Digit(s[i + 2]) < 16)
        {
            i += 2;
            b = 16;
        }
        else if (b == 0)
        {
            b = i < s.Length && s[i] == '0' ? 8 : 10;
        }
        int digitsStart = i;
        ulong value = 0;
        while (i < s.Length)
        {
            int d = Digit(s[i]);
            if (d >= b) break;
            if (!overflow)
            {
                if (value > (ulong.MaxValue - (ulong)d) / (ulong)b) overflow = true;
                else value = value * (ulong)b + (ulong)d;
            }
            i++;
        }
        end = i == digitsStart ? digitsStart : i;
        return value;
    }

    /// <summary>get_u32(): the whole word is one number that fits 32 bits.</summary>
    public static bool TryParseU32(string? word, int numberBase, out uint value)
    {
        value = 0;
        if (!TryWhole(word, numberBase, out ulong v) || v > uint.MaxValue) return false;
        value = (uint)v;
        return true;
    }

    /// <summary>get_unsigned(): as get_u32 (unsigned int is 32 bits).</summary>
    public static bool TryParseUnsigned(string? word, int numberBase, out uint value) =>
        TryParseU32(word, numberBase, out value);

    /// <summary>get_u16().</summary>
    public static bool TryParseU16(string? word, int numberBase, out ushort value)
    {
        value = 0;
        if (!TryWhole(word, numberBase, out ulong v) || v > ushort.MaxValue) return false;
        value = (ushort)v;
        return true;
    }

    /// <summary>get_u8().</summary>
    public static bool TryParseU8(string? word, int numberBase, out byte value)
    {
        value = 0;
        if (!TryWhole(word, numberBase, out ulong v) || v > byte.MaxValue) return false;
        value = (byte)v;
        return true;
    }

    /// <summary>get_integer(): a whole word that fits an int.</summary>
    public static bool TryParseInt(string? word, int numberBase, out int value)
    {
        value = 0;
        if (string.IsNullOrEmpty(word)) return false;
        long v = Strtol(word, 0, numberBase, out int end, out bool overflow);
        if (end == 0 || end != word.Length || overflow || v < int.MinValue || v > int.MaxValue) return false;
        value = (int)v;
        return true;
    }

    /// <summary>strtoul() of the whole word (bstrtoul in m_ematch.c: ULONG_MAX or no digits fail).</summary>
    public static bool TryWhole(string? word, int numberBase, out ulong value)
    {
        value = 0;
        if (string.IsNullOrEmpty(word)) return false;
        ulong v = Strtoul(word, 0, numberBase, out int end, out bool overflow);
        if (end == 0 || end != word.Length || overflow) return false;
        value = v;
        return true;
    }

    private static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => 99,
    };
}
