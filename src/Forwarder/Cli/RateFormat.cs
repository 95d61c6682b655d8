using System.Globalization;

namespace Forwarder.Cli;

/// <summary>Human-readable rates and counts for the statistics line.</summary>
internal static class RateFormat
{
    public static string PacketsPerSecond(double pps) => Scale(pps, "pps");

    public static string BitsPerSecond(double bps) => Scale(bps, "bit/s");

    public static string Count(long n) => Scale(n, "").TrimEnd();

    private static string Scale(double v, string unit)
    {
        string prefix = "";
        if (v >= 1e9) { v /= 1e9; prefix = "G"; }
        else if (v >= 1e6) { v /= 1e6; prefix = "M"; }
        else if (v >= 1e4) { v /= 1e3; prefix = "k"; }
        string number = prefix.Length == 0 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.00", CultureInfo.InvariantCulture);
        return $"{number} {prefix}{unit}";
    }
}
