using System.Globalization;
using Sched.Fast.Tc;

namespace Sched.Fast.Shaping;

/// <summary>
/// tc/tc_util.c get_percent_rate64(): "10%" of the device's link speed (read from /sys/class/net/DEV/speed in
/// iproute2; here from <see cref="Devices.NetDevice.SpeedMbit"/>). On failure returns the lines tc prints on stderr
/// before the caller's own "Illegal ..." message.
/// </summary>
public static class PercentRate
{
    public static bool TryParse(string text, TcParseContext context, out ulong bytesPerSecond, out string errors)
    {
        bytesPerSecond = 0;
        errors = "";
        string dev = context.DeviceName;
        if (dev.Length == 0)
        {
            errors = "No device specified; specify device to rate limit by percentage\n";
            return false;
        }
        string file = $"/sys/class/net/{dev}/speed";
        if (context.Device?.SpeedMbit is not { } speedMbit)
        {
            errors = $"property \"speed\" in file {file} is currently unknown\nFailed to parse {file}\n";
            return false;
        }
        // sscanf("%m[0-9.%]"): the leading run of digits, dots and percent signs.
        int n = 0;
        while (n < text.Length && (char.IsAsciiDigit(text[n]) || text[n] == '.' || text[n] == '%')) n++;
        if (n == 0)
        {
            errors = "Specified rate value could not be read or is malformed\n";
            return false;
        }
        string perc = text[..n];
        // parse_percent(): strtod / 100, in [0, 1], followed by nothing or "%".
        if (!TcUnits.TryStrtod(perc, out double value, out string rest))
        {
            value = 0;
            rest = perc;
        }
        double fraction = value / 100.0;
        if (fraction > 1.0 || fraction < 0.0)
        {
            errors = $"Invalid rate specified; should be between [0,100]% but is {text}\n";
            return false;
        }
        if (rest.Length > 0 && rest != "%")
        {
            errors = "Specified rate value could not be read or is malformed\n";
            return false;
        }
        double rateBits = fraction * speedMbit * 1000 * 1000;
        string formatted = rateBits.ToString("F6", CultureInfo.InvariantCulture); // snprintf("%lf") into char[20]
        if (formatted.Length >= 20)
        {
            errors = "Unable to parse calculated rate\n";
            return false;
        }
        return TcUnits.TryParseRate(formatted, out bytesPerSecond);
    }
}
