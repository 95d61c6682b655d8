using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Classifiers.Support;

/// <summary>What one tc process printed and returned.</summary>
public sealed record TcResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs tc command lines through the tc engine as "forwarder tc --offline" does, each as its own tc process, on the
/// oracle lab's devices (lo, t1, t0, d0: down, without qdiscs). Lines are split as the shell that ran the golden
/// commands split them (and it reports an aborted tc). The clock moves 11 ms per command, as real time moves between commands on a real machine.
/// </summary>
public sealed class TcHarness
{
    public TcHarness()
    {
        Devices = new DeviceTable();
        Devices.Add(new NetDevice("lo", 1, mtu: 65536));
        Devices.Add(new NetDevice("t1", 6));
        Devices.Add(new NetDevice("t0", 7));
        Devices.Add(new NetDevice("d0", 8));
        Clock = new ManualClock(TimeNs.FromSeconds(1));
        Engine = new TcEngine(Devices, Clock) { CreateDevicesOnMention = true };
    }

    public TcEngine Engine { get; }
    public DeviceTable Devices { get; }
    public ManualClock Clock { get; }

    /// <summary>The filter/action state of the engine's kernel model.</summary>
    public FilterNamespace Namespace => FilterNamespace.For(Engine.Kernel);

    public NetDevice Dev(string name) => Devices.Find(name)!;

    public ClassfulQdisc Qdisc(string dev, uint handle) => (ClassfulQdisc)Engine.Kernel.Lookup(Dev(dev), handle)!;

    public TcResult Run(string line)
    {
        Clock.AdvanceNs(11 * TimeNs.NsPerMs);
        List<string> words = ShellWords.Split(line);
        if (words.Count > 0 && words[0] == "tc") words.RemoveAt(0);
        TcRunResult r = Engine.Run(words);
        // The shell reports a tc killed by SIGABRT (exit 134) with "Aborted" on the stderr it gave the command.
        string stderr = r.ExitCode == 134 ? r.Stderr + "Aborted\n" : r.Stderr;
        return new TcResult(r.ExitCode, r.Stdout, stderr);
    }
}
