using System.Globalization;

namespace Sched.Fast.Ematches.Meta;

/// <summary>
/// The system load averages in hundredths (em_meta.c fixed_loadavg() of avenrun[]): read from /proc/loadavg at
/// most once a second, so matching reads no file per packet. 0 where there is no /proc.
/// </summary>
internal static class LoadAverage
{
    private static readonly ulong[] s_values = new ulong[3];
    private static long s_readAtMs = long.MinValue;

    public static ulong Hundredths(int which)
    {
        long now = Environment.TickCount64;
        if (now - s_readAtMs >= 1000)
        {
            s_readAtMs = now;
            Refresh();
        }
        return s_values[which];
    }

    private static void Refresh()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
            for (int i = 0; i < 3 && i < parts.Length; i++)
            {
                if (double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    s_values[i] = (ulong)Math.Round(v * 100);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
