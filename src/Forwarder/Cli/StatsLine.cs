using System.Globalization;
using System.Text;
using Forwarder.Ports;

namespace Forwarder.Cli;

/// <summary>The live statistics line: per port, packets/s and bits/s received and sent since the last line, and drops so far.</summary>
internal static class StatsLine
{
    public static string Format(IReadOnlyList<IPort> ports, PortStatsSnapshot[] before, PortStatsSnapshot[] after,
        double intervalSeconds, double elapsedSeconds, bool bridge)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"[{elapsedSeconds,6:0.0}s]");
        double dt = Math.Max(intervalSeconds, 1e-3);
        for (int i = 0; i < ports.Count; i++)
        {
            PortStatsSnapshot b = before[i], a = after[i];
            long drops = a.RxDropped + a.TxDropped + (long)ports[i].Device.Root!.Stats.Drops;
            sb.Append(i == 0 ? " " : " | ").Append(ports[i].Name).Append(':');
            if (bridge || i == 0)
                sb.Append(" rx ").Append(RateFormat.PacketsPerSecond((a.RxPackets - b.RxPackets) / dt))
                  .Append(' ').Append(RateFormat.BitsPerSecond((a.RxBytes - b.RxBytes) * 8 / dt));
            if (bridge || i == 1)
                sb.Append(" tx ").Append(RateFormat.PacketsPerSecond((a.TxPackets - b.TxPackets) / dt))
                  .Append(' ').Append(RateFormat.BitsPerSecond((a.TxBytes - b.TxBytes) * 8 / dt));
            sb.Append(" drops ").Append(RateFormat.Count(drops));
        }
        return sb.ToString();
    }
}
