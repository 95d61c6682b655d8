using System.Globalization;
using System.Text.RegularExpressions;
using Forwarder.Tests.EndToEnd;

namespace Forwarder.Tests.Wire;

/// <summary>ping from ns gen to the sink (198.18.0.2): the round-trip times of the replies, in milliseconds.</summary>
public sealed partial record PingRun(int Sent, IReadOnlyList<double> RttsMs, string Output)
{
    /// <summary>count pings interval seconds apart (below 0.2 s needs root); waitSeconds for a missing reply.</summary>
    public static PingRun Run(EndToEnd.Lab lab, int count, double interval, int waitSeconds = 2)
    {
        TimeSpan timeout = TimeSpan.FromSeconds(count * interval * 4 + waitSeconds + 20);
        ProcessResult r = lab.Exec(lab.Topology.Gen, timeout, "ping", "-n", "-c", count.ToString(CultureInfo.InvariantCulture),
            "-i", interval.ToString(CultureInfo.InvariantCulture), "-W", waitSeconds.ToString(CultureInfo.InvariantCulture),
            "198.18.0.2");
        var rtts = new List<double>();
        foreach (Match m in Reply().Matches(r.Output))
            rtts.Add(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return new PingRun(count, rtts, r.All);
    }

    public double MedianMs
    {
        get
        {
            Assert.NotEmpty(RttsMs);
            double[] s = [.. RttsMs.Order()];
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{RttsMs.Count}/{Sent} replies, RTTs (ms): {string.Join(' ', RttsMs.Select(x => x.ToString("0.#", CultureInfo.InvariantCulture)))}");

    [GeneratedRegex(@"icmp_seq=\d+ ttl=\d+ time=([0-9.]+) ms(?! \(DUP!\))")]
    private static partial Regex Reply();
}
