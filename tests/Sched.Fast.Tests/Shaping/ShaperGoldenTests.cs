using System.Runtime.CompilerServices;
using System.Text;
using Sched.Fast.Devices;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Shaping;

/// <summary>
/// tc's text for tbf and htb, character for character against the real kernel and iproute2 6.1 (the oracle): the
/// batch NAME.tc with "tc -b", then every line of NAME.cmds as its own command, on the oracle lab's devices (lo,
/// t1, t0, d0), printed as /work/shared/oracle/kernel-tc prints it. Golden files: tests/Sched.Fast.Tests/Tc/Golden/
/// Shapers (regen.sh there). On a difference the actual output is written to $TMPDIR/NAME.actual.
/// </summary>
public sealed class ShaperGoldenTests
{
    [Theory]
    [InlineData("tbf")]
    [InlineData("htb")]
    public void Tc_prints_what_the_kernel_oracle_printed(string name)
    {
        string dir = GoldenDirectory();
        string expected = File.ReadAllText(Path.Combine(dir, name + ".golden"));
        string actual = Replay(dir, name);
        if (expected != actual)
        {
            File.WriteAllText(Path.Combine(Path.GetTempPath(), name + ".actual"), actual);
            Assert.Equal(expected, actual);
        }
    }

    private static string GoldenDirectory([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "Tc", "Golden", "Shapers"));

    private static string Replay(string dir, string name)
    {
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
}
