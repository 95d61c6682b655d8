using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Tests.Support;
using Sched.Fast.Tests.Tc.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Aqm;

/// <summary>
/// tc's text for the AQM kinds, character for character against the real kernel and iproute2 6.1 (the oracle):
/// options and defaults as dumped, -s/-d/-j output, classes, and the errors of tc and of the kernel.
/// </summary>
public sealed class AqmGoldenTests
{
    [Theory]
    [InlineData("codel")]
    [InlineData("fq_codel")]
    [InlineData("sfq")]
    [InlineData("prio")]
    public void Tc_prints_what_the_kernel_oracle_printed(string name)
        => OracleGolden.AssertMatches("Aqm", name);

    /// <summary>
    /// Flows shown as classes with traffic queued (the oracle lab cannot hold traffic in a batch): the format the
    /// oracle printed for sfq and fq_codel leaves under an htb class at 800 bit/s (ping flows): no "Sent" part, the
    /// queue counters, then the flow's xstats. Packets are steered into known buckets with skb->priority.
    /// </summary>
    [Fact]
    public void Sfq_and_fq_codel_flows_print_as_classes_without_byte_counters()
    {
        using var pool = new PacketPool(64);
        var devices = new DeviceTable();
        var t0 = new NetDevice("t0", 7);
        devices.Add(t0);
        var clock = new ManualClock(new TimeNs(TimeNs.NsPerSecond));
        var engine = new TcEngine(devices, clock);
        Assert.Equal(0, engine.Run(["qdisc", "add", "dev", "t0", "root", "handle", "10:", "sfq", "quantum", "1001"]).ExitCode);
        for (int i = 0; i < 6; i++) t0.Root!.Enqueue(TestFrames.Packet(pool, 142, priority: 0x0010_028E), clock.Now);
        t0.Root!.Enqueue(TestFrames.Packet(pool, 90, priority: 0x0010_0070), clock.Now);
        t0.Root!.Dequeue(clock.Now)!.Free();
        string sfq = engine.Run(["-s", "class", "show", "dev", "t0"]).Output.Combined;
        Assert.Equal(
            "class sfq 10:70 parent 10: \n (dropped 0, overlimits 0 requeues 0) \n backlog 90b 1p requeues 0\n  allot 1001\n" +
            "class sfq 10:28e parent 10: \n (dropped 0, overlimits 0 requeues 0) \n backlog 710b 5p requeues 0\n  allot 859\n",
            sfq.Replace("\n", "\n"));

        Assert.Equal(0, engine.Run(["qdisc", "replace", "dev", "t0", "root", "handle", "20:", "fq_codel", "quantum", "1001"]).ExitCode);
        for (int i = 0; i < 6; i++) t0.Root!.Enqueue(TestFrames.Packet(pool, 142, priority: 0x0020_00F9), clock.Now);
        clock.AdvanceNs(580 * TimeNs.NsPerMs);
        t0.Root!.Dequeue(clock.Now)!.Free();
        t0.Root!.Enqueue(TestFrames.Packet(pool, 90, priority: 0x0020_0361), clock.Now);
        string fq = engine.Run(["-s", "class", "show", "dev", "t0"]).Output.Combined;
        Assert.Equal(
            "class fq_codel 20:f9 parent 20: \n (dropped 0, overlimits 0 requeues 0) \n backlog 710b 5p requeues 0\n" +
            "  deficit 859 count 0 lastcount 0 ldelay 580ms\n" +
            "class fq_codel 20:361 parent 20: \n (dropped 0, overlimits 0 requeues 0) \n backlog 90b 1p requeues 0\n" +
            "  deficit 1001 count 0 lastcount 0 ldelay 0us\n",
            fq.Replace("\n", "\n"));
    }
}
