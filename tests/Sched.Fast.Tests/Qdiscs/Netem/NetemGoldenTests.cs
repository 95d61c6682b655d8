using Sched.Fast.Devices;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Tests.Tc.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>
/// netem through the whole tc engine (what "forwarder tc --offline" runs), character for character against the
/// kernel oracle: tests/Sched.Fast.Tests/Tc/Golden/Netem/netem.golden is what Linux 6.1 with iproute2 6.1 printed
/// for the batch netem.tc followed by each line of netem.cmds (regen.sh there makes it). The replay runs on the
/// oracle lab's devices (lo, t1, t0, d0: down, without qdiscs) as kernel-tc does.
/// </summary>
public sealed class NetemGoldenTests
{
    /// <summary>
    /// netem has no cops->tcf_block: cls_api.c refuses any filter under it, whatever the class (the oracle prints
    /// "Error: Class doesn't support blocks." for "tc filter add dev t0 parent 1: ..." and "parent 1:1").
    /// </summary>
    [Theory]
    [InlineData(0x0001_0000u)]
    [InlineData(0x0001_0001u)]
    [InlineData(0x0001_0005u)]
    public void Filters_cannot_be_attached_to_netem(uint parent)
    {
        var devices = new DeviceTable();
        var t0 = new NetDevice("t0", 7);
        devices.Add(t0);
        var engine = new TcEngine(devices, new ManualClock(new TimeNs(TimeNs.NsPerSecond)));
        Assert.Equal(0, engine.Run(["qdisc", "add", "dev", "t0", "root", "handle", "1:", "netem", "delay", "10ms"]).ExitCode);
        var e = Assert.Throws<Sched.Fast.Tc.TcException>(() => engine.Kernel.FindFilterBlock(t0, parent));
        Assert.Equal("Error: Class doesn't support blocks.", e.Message);
    }

    [Fact]
    public void Tc_prints_for_netem_what_the_kernel_oracle_printed() => OracleGolden.AssertMatches("Netem", "netem");
}
