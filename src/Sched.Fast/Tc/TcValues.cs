using System.Globalization;

namespace Sched.Fast.Tc;

/// <summary>
/// lib/utils.c's integer parsers (get_u32, get_u16, get_u8, get_unsigned, get_integer, get_u64) with C's
/// strtoul()/strtol() rules: optional leading space and sign, base 0 meaning "0x" hex / leading-0 octal / decimal,
/// and the whole word must be consumed.
/// </summary>
public static class TcValues
{
    public static bool TryGetU32(string text, int numberBase, out uint value)
    {
        value = 0;
        if (!TryStrtoul(text, numberBase, out ulong v, out int end) || end != text.Length || v > uint.MaxValue) return false;
        value = (uint)v;
        return true;
    }

    public static bool TryGetU16(string text, int numberBase, out ushort value)
    {
        value = 0;
        if (!TryGetU32(text, numberBase, out uint v) || v > ushort.MaxValue) return false;
        value = (ushort)v;
        return true;
    }

    public static bool TryGetU8(string text, int numberBase, out byte value)
    {
        value = 0;
        if (!TryGetU32(text, numberBase, out uint v) || v > byte.MaxValue) return false;
        value = (byte)v;
        return true;
    }

    /// <summary>get_unsigned(): as get_u32.</summary>
    public static bool TryGetUnsigned(string text, int numberBase, out uint value) => TryGetU32(text, numberBase, out value);

    public static bool TryGetU64(string text, int numberBase, out ulong value)
    {
        value = 0;
        if (!TryStrtoul(text, numberBase, out ulong v, out int end) || end != text.Length) return false;
        value = v;
        return true;
    }

    /// <summary>get_integer(): strtol() into an int.</summary>
    public static bool TryGetInteger(string text, int numberBase, out int value)
    {
        value = 0;
        if (text.Length == 0) return false;
        int i = 0;
        while (i < text.Length && IsCSpace(text[i])) i++;
        bool negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
        if (!TryDigits(text, i, numberBase, out ulong magnitude, out int end, out bool overflow) || end != text.Length)
            return false;
        if (overflow) return false;
        long v = negative ? -(long)Math.Min(magnitude, (ulong)long.MaxValue + 1) : (long)Math.Min(magnitude, long.MaxValue);
        if (v < int.MinValue || v > int.MaxValue) return false;
        value = (int)v;
        return true;
    }

    /// <summary>C strtoul(): a negative number wraps; overflow fails (ERANGE).</summary>
    public static bool TryStrtoul(string text, int numberBase, out ulong value, out int end)
    {
        value = 0;
        end = 0;
        if (text.Length == 0) return false;
        int i = 0;
        while (i < text.Length && IsCSpace(text[i])) i++;
        bool negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
        if (!TryDigits(text, i, numberBase, out ulong v, out end, out bool overflow) || overflow) return false;
        value = negative ? unchecked(0UL - v) : v;
        return true;
    }

    private static bool TryDigits(string text, int i, int numberBase, out ulong value, out int end, out bool overflow)
    {
        value = 0;
        end = 0;
        overflow = false;
        if ((numberBase == 0 || numberBase == 16) && i + 2 < text.Length && text[i] == '0' &&
            (text[i + 1] == 'x' || text[i + 1] == 'X') && Uri.IsHexDigit(text[i + 2]))
        {
            i += 2;
            numberBase = 16;
        }
        else if (numberBase == 0)
        {
            numberBase = i < text.Length && text[i] == '0' ? 8 : 10;
        }
        int start = i;
        ulong v = 0;
        for (; i < text.Length; i++)
        {
            int d = DigitValue(text[i]);
            if (d < 0 || d >= numberBase) break;
            ulong next = unchecked(v * (ulong)numberBase + (ulong)d);
            if (v > (ulong.MaxValue - (ulong)d) / (ulong)numberBase) overflow = true;
            v = next;
        }
        if (i == start) return false;
        value = v;
        end = i;
        return true;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => -1,
    };

    private static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>Formats like C's "%u".</summary>
    public static string U(ulong v) => v.ToString(CultureInfo.InvariantCulture);
}
