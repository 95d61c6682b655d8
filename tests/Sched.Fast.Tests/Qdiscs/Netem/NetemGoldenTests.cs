using System.Runtime.CompilerServices;
using System.Text;
using Sched.Fast.Devices;
using Sched.Fast.Tc.Commands;
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
    private static string GoldenDirectory([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "Tc", "Golden", "Netem"));

    private static string Replay(string name)
    {
        string dir = GoldenDirectory();
        string batch = File.ReadAllText(Path.Combine(dir, name + ".tc"));
        string[] commands = File.ReadAllLines(Path.Combine(dir, name + ".cmds")).Where(l => l.Length > 0).ToArray();
        var devices = new DeviceTable();
        devices.Add(new NetDevice("lo", 1, mtu: 65536));
        devices.Add(new NetDevice("t1", 6));
        devices.Add(new NetDevice("t0", 7));
        devices.Add(new NetDevice("d0", 8));
        var engine = new TcEngine(devices, new ManualClock(new TimeNs(TimeNs.NsPerSecond))) { CreateDevicesOnMention = true };

        var sb = new StringBuilder();
        TcRunResult r = engine.Run(["-b", "/work/kernel-tc-batch.tc"], _ => new StringReader(batch), null);
        sb.Append(r.Output.Combined).Append("(batch exit ").Append(r.ExitCode).Append(")\n");
        foreach (string command in commands)
        {
            sb.Append("\n$ tc ").Append(command).Append('\n');
            r = engine.Run(command.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            sb.Append(r.Output.Combined);
        }
        return sb.ToString();
    }

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
    public void Tc_prints_for_netem_what_the_kernel_oracle_printed()
    {
        string expected = File.ReadAllText(Path.Combine(GoldenDirectory(), "netem.golden"));
        string actual = Replay("netem");
        if (expected != actual)
        {
            File.WriteAllText(Path.Combine(Path.GetTempPath(), "netem.actual"), actual);
            Assert.Equal(expected, actual);
        }
    }
}
