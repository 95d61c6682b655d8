using Forwarder.Datapath;
using Forwarder.Tests.Support;
using Sched.Fast.Devices;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Time;

namespace Forwarder.Tests.Datapath;

/// <summary>
/// A <see cref="LoopbackBridge"/> with the tc engine attached the way the control plane attaches it (devices up,
/// pfifo_fast their default, the kernel model given to the datapath), driven in simulated time: tests configure it
/// with tc commands and run the datapath loop as the thread would, polling and then sleeping until the next
/// deadline.
/// </summary>
internal sealed class TcBridge : IDisposable
{
    public TcBridge(DatapathOptions? options = null, int poolPackets = 4096)
    {
        Bridge = new LoopbackBridge(poolPackets, options);
        foreach (NetDevice dev in Bridge.Datapath.Devices.All)
        {
            dev.IsUp = true;
            dev.DefaultQdiscKind = "pfifo_fast";
        }
        Engine = new TcEngine(Bridge.Datapath.Devices, Bridge.Clock);
        Bridge.Datapath.AttachKernel(Engine.Kernel);
    }

    public LoopbackBridge Bridge { get; }
    public TcEngine Engine { get; }
    public ManualClock Clock => Bridge.Clock;
    public global::Forwarder.Datapath.Datapath Datapath => Bridge.Datapath;

    /// <summary>Runs one tc command line (words split on spaces) and fails the test on a non-zero status.</summary>
    public void Tc(string line)
    {
        TcRunResult r = Engine.Run(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(r.ExitCode == 0, $"tc {line}: {r.Output.Combined}");
        // A command changes configuration between bursts: what the datapath does after a control invocation.
        foreach (EgressScheduler s in Datapath.Schedulers) s.InvalidateConfiguration();
    }

    /// <summary>What `tc -s ARGS` prints.</summary>
    public string Show(string line) => Engine.Run(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Output.Combined;

    /// <summary>
    /// The datapath thread's loop in simulated time until <paramref name="end"/>: poll; when nothing moved, sleep to
    /// the next deadline (or <paramref name="idleStepNs"/> when none). Each wake-up polls <paramref name="spins"/>
    /// times, as a thread spinning towards a deadline does, and sleeps are cut into <paramref name="idleStepNs"/>
    /// steps so spurious wake-ups (other traffic, control work) happen too: none of that may dequeue anything.
    /// </summary>
    public void RunUntil(TimeNs end, long idleStepNs = 250_000, int spins = 3, Action<TimeNs>? afterPoll = null)
    {
        while (Clock.Now < end)
        {
            bool moved = false;
            for (int i = 0; i < spins; i++)
            {
                moved |= Datapath.PollOnce(Clock.Now);
                afterPoll?.Invoke(Clock.Now);
            }
            if (moved) continue;
            TimeNs next = TimeNs.Min(Datapath.NextDeadline, Clock.Now + idleStepNs);
            Assert.True(next > Clock.Now, $"a deadline at {next} did not run at {Clock.Now}");
            Clock.AdvanceTo(TimeNs.Min(next, end));
        }
    }

    public void Dispose() => Bridge.Dispose();
}
