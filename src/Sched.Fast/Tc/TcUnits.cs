using System.Globalization;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tc;

/// <summary>
/// iproute2's units (tc/tc_util.c, lib/utils.c): rates, sizes and times, parsed and printed exactly as tc does.
/// Rates are bytes per second internally, as in the kernel's tc_ratespec; sizes are bytes; times are microseconds
/// (get_time, TIME_UNITS_PER_SEC) or nanoseconds (get_time64).
/// </summary>
public static class TcUnits
{
    private static readonly (string Name, double Scale)[] s_rateSuffixes =
    [
        ("bit", 1.0), ("Kibit", 1024.0), ("kbit", 1000.0), ("mibit", 1024.0 * 1024), ("mbit", 1_000_000.0),
        ("gibit", 1024.0 * 1024 * 1024), ("gbit", 1_000_000_000.0), ("tibit", 1024.0 * 1024 * 1024 * 1024),
        ("tbit", 1_000_000_000_000.0), ("Bps", 8.0), ("KiBps", 8.0 * 1024), ("KBps", 8000.0),
        ("MiBps", 8.0 * 1024 * 1024), ("MBps", 8_000_000.0), ("GiBps", 8.0 * 1024 * 1024 * 1024),
        ("GBps", 8_000_000_000.0), ("TiBps", 8.0 * 1024 * 1024 * 1024 * 1024), ("TBps", 8_000_000_000_000.0),
    ];

    /// <summary>get_rate64(): "10mbit" -> 1250000 bytes/s. A bare number is bits per second.</summary>
    public static bool TryParseRate(string text, out ulong bytesPerSecond)
    {
        bytesPerSecond = 0;
        if (!TryStrtod(text, out double bps, out string rest)) return false;
        if (rest.Length > 0)
        {
            bool found = false;
            foreach (var (name, scale) in s_rateSuffixes)
            {
                if (string.Equals(name, rest, StringComparison.OrdinalIgnoreCase)) { bps *= scale; found = true; break; }
            }
            if (!found) return false;
        }
        bps /= 8;
        if (bps < 0 || double.IsNaN(bps) || bps >= 18446744073709551616.0) return false;
        bytesPerSecond = (ulong)bps;
        return true;
    }

    /// <summary>get_rate(): as <see cref="TryParseRate"/> but the result must fit 32 bits (tc_ratespec.rate).</summary>
    public static bool TryParseRate32(string text, out uint bytesPerSecond)
    {
        bytesPerSecond = 0;
        if (!TryParseRate(text, out ulong r) || r > uint.MaxValue) return false;
        bytesPerSecond = (uint)r;
        return true;
    }

    /// <summary>sprint_rate(): bytes/s -> "10Mbit" (or "9766Kibit" with -iec).</summary>
    public static string FormatRate(ulong bytesPerSecond, bool useIec = false)
    {
        ulong kilo = useIec ? 1024UL : 1000UL;
        string iec = useIec ? "i" : "";
        string[] units = ["", "K", "M", "G", "T"];
        ulong rate = bytesPerSecond << 3;
        int i;
        for (i = 0; i < units.Length - 1; i++)
        {
            if (rate < kilo) break;
            if (rate % kilo != 0 && rate < 1000 * kilo) break;
            rate /= kilo;
        }
        // lib/json_print.c print_color_rate(): the "i" only follows a prefix ("999bit", "1Kibit").
        return CFormat.Format("%.0f%s%sbit", (double)rate, units[i], i > 0 ? iec : "");
    }

    /// <summary>get_size(): "10k" -> 10240, "1mbit" -> 131072. A bare number is bytes.</summary>
    public static bool TryParseSize(string text, out uint bytes)
    {
        bytes = 0;
        if (!TryStrtod(text, out double sz, out string p)) return false;
        if (p.Length > 0)
        {
            if (Eq(p, "kb") || Eq(p, "k")) sz *= 1024;
            else if (Eq(p, "gb") || Eq(p, "g")) sz *= 1024.0 * 1024 * 1024;
            else if (Eq(p, "gbit")) sz *= 1024.0 * 1024 * 1024 / 8;
            else if (Eq(p, "mb") || Eq(p, "m")) sz *= 1024 * 1024;
            else if (Eq(p, "mbit")) sz *= 1024 * 1024 / 8;
            else if (Eq(p, "kbit")) sz *= 1024 / 8;
            else if (!Eq(p, "b")) return false;
        }
        if (sz < 0 || sz > uint.MaxValue || double.IsNaN(sz)) return false;
        bytes = (uint)sz;
        return true;
    }

    /// <summary>get_size_and_cell(): "10kb/8" -> 10240 and cell_log 3.</summary>
    public static bool TryParseSizeAndCell(string text, out uint bytes, out int cellLog)
    {
        cellLog = -1;
        int slash = text.IndexOf('/');
        if (!TryParseSize(slash < 0 ? text : text[..slash], out bytes)) return false;
        if (slash < 0) return true;
        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int cell)) return false;
        for (int i = 0; i < 32; i++)
        {
            if (1L << i == cell) { cellLog = i; return true; }
        }
        return false;
    }

    /// <summary>sprint_size(): 1514 -> "1514b", 10240 -> "10Kb", 1048576 -> "1Mb".</summary>
    public static string FormatSize(uint bytes)
    {
        double tmp = bytes;
        if (bytes >= 1024 * 1024 && Math.Abs(1024 * 1024 * Math.Round(tmp / (1024 * 1024), MidpointRounding.ToEven) - bytes) < 1024)
            return CFormat.Format("%gMb", Math.Round(tmp / (1024 * 1024), MidpointRounding.ToEven));
        if (bytes >= 1024 && Math.Abs(1024 * Math.Round(tmp / 1024, MidpointRounding.ToEven) - bytes) < 16)
            return CFormat.Format("%gKb", Math.Round(tmp / 1024, MidpointRounding.ToEven));
        return CFormat.Format("%ub", bytes);
    }

    /// <summary>get_time(): "50ms" -> 50000 µs. A bare number is microseconds.</summary>
    public static bool TryParseTimeUs(string text, out uint microseconds)
    {
        microseconds = 0;
        if (!TryStrtod(text, out double t, out string p)) return false;
        if (p.Length > 0)
        {
            if (Eq(p, "s") || Eq(p, "sec") || Eq(p, "secs")) t *= 1_000_000;
            else if (Eq(p, "ms") || Eq(p, "msec") || Eq(p, "msecs")) t *= 1_000;
            else if (Eq(p, "us") || Eq(p, "usec") || Eq(p, "usecs")) t *= 1;
            else return false;
        }
        // get_time() stores the double into an unsigned int unchecked; x86-64 converts through a 64-bit integer and
        // keeps the low 32 bits ("-1" becomes 4294967295), which is what tc then sends.
        microseconds = double.IsNaN(t) || Math.Abs(t) >= 9.2e18 ? 0u : unchecked((uint)(long)t);
        return true;
    }

    /// <summary>get_time64(): "5ms" -> 5000000 ns. A bare number is microseconds, as in iproute2.</summary>
    public static bool TryParseTimeNs(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        if (!TryStrtod(text, out double t, out string p)) return false;
        if (p.Length > 0)
        {
            if (Eq(p, "s") || Eq(p, "sec") || Eq(p, "secs")) t *= 1e9;
            else if (Eq(p, "ms") || Eq(p, "msec") || Eq(p, "msecs")) t *= 1e6;
            else if (Eq(p, "us") || Eq(p, "usec") || Eq(p, "usecs")) t *= 1e3;
            else if (Eq(p, "ns") || Eq(p, "nsec") || Eq(p, "nsecs")) t *= 1;
            else return false;
        }
        else
        {
            t *= 1e3; // lib/utils.c get_time64(): a plain number is in microseconds
        }
        if (double.IsNaN(t) || t > long.MaxValue || t < long.MinValue) return false;
        nanoseconds = (long)t;
        return true;
    }

    /// <summary>sprint_time() (lib/utils.c print_time): µs -> "1s", "50ms", "4.5ms", "800us".</summary>
    public static string FormatTimeUs(uint microseconds)
    {
        double tmp = microseconds;
        if (tmp >= 1_000_000) return CFormat.Format("%.3gs", tmp / 1_000_000);
        if (tmp >= 1_000) return CFormat.Format("%.3gms", tmp / 1_000);
        return CFormat.Format("%uus", microseconds);
    }

    /// <summary>sprint_time64() (lib/utils.c print_time64): ns -> "1s", "5ms", "4.5ms", "800us", "10ns".</summary>
    public static string FormatTimeNs(long nanoseconds)
    {
        double n = nanoseconds;
        if (nanoseconds >= 1_000_000_000) return CFormat.Format("%.3gs", n / 1e9);
        if (nanoseconds >= 1_000_000) return CFormat.Format("%.3gms", n / 1e6);
        if (nanoseconds >= 1_000) return CFormat.Format("%.3gus", n / 1e3);
        return CFormat.Format("%lldns", nanoseconds);
    }

    /// <summary>C's strtod() on the leading number of <paramref name="text"/>; the rest is returned.</summary>
    public static bool TryStrtod(string text, out double value, out string rest)
    {
        value = 0;
        rest = text;
        int i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        int start = i;
        if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
        if (i + 1 < text.Length && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X'))
        {
            int h = i + 2, hs = h;
            while (h < text.Length && char.IsAsciiHexDigit(text[h])) h++;
            if (h > hs)
            {
                value = ulong.Parse(text[hs..h], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (text[start] == '-') value = -value;
                rest = text[h..];
                return true;
            }
        }
        int digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; digits++; }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            int e = i + 1;
            if (e < text.Length && (text[e] == '+' || text[e] == '-')) e++;
            int es = e;
            while (e < text.Length && char.IsAsciiDigit(text[e])) e++;
            if (e > es) i = e;
        }
        value = double.Parse(text[start..i], NumberStyles.Float, CultureInfo.InvariantCulture);
        rest = text[i..];
        return true;
    }

    private static bool Eq(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
