using Forwarder.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Forwarder.Tests.Wire;

/// <summary>
/// Issue 6's bufferbloat check, quick form: a UDP flood at twice `htb rate 20mbit`, and a ping beside it. Behind a
/// fq_codel leaf the ping is a sparse flow served first; behind `pfifo limit 1000` it waits behind the full queue
/// (1000 x 1442 bytes at 20 Mbit/s is 577 ms). The medians differ by far more than an order of magnitude; the exact
/// figures (fq_codel under 15 ms, pfifo past 300 ms) are perf/wire/wirecheck.py bloat.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BufferbloatWireTests(ITestOutputHelper output)
{
    [RootFact]
    public void Behind_fq_codel_a_ping_beside_a_flood_waits_an_order_of_magnitude_less_than_behind_pfifo()
    {
        (double fqCodel, string fqCodelRun) = MedianPingUnderLoad("fq_codel");
        (double pfifo, string pfifoRun) = MedianPingUnderLoad("pfifo limit 1000");

        string both = $"fq_codel: {fqCodelRun}\npfifo: {pfifoRun}";
        output.WriteLine($"median ping {fqCodel:F3} ms behind fq_codel, {pfifo:F3} ms behind pfifo");
        Assert.True(pfifo > 150, $"the pfifo queue did not form (median {pfifo} ms)\n{both}");
        Assert.True(pfifo >= 10 * fqCodel, $"median {fqCodel} ms behind fq_codel, {pfifo} ms behind pfifo\n{both}");
    }

    private static (double MedianMs, string Run) MedianPingUnderLoad(string leaf)
    {
        using var bridge = new WireBridge("qdisc add dev f1 root handle 1: htb default 10\n" +
            "class add dev f1 parent 1: classid 1:10 htb rate 20mbit\n" +
            $"qdisc add dev f1 parent 1:10 handle 10: {leaf}\n");
        using ForwarderProcess server = Iperf3.Server(bridge.Lab);
        using ForwarderProcess flood = Iperf3.Client(bridge.Lab, "-u", "-b", "40M", "-l", "1400", "-t", "60");
        Thread.Sleep(1500); // the standing queue builds
        PingRun ping = PingRun.Run(bridge.Lab, 100, 0.01, 3);
        Assert.True(ping.RttsMs.Count >= 10, $"{leaf}: {ping}\n{ping.Output}\n{bridge.Diagnostics()}");
        return (ping.MedianMs, ping.ToString());
    }
}
