using System.Collections.Concurrent;
using System.Diagnostics;
using Forwarder.Control;
using Forwarder.Ports;
using Forwarder.Ports.Native;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.PfifoFast;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Time;

namespace Forwarder.Datapath;

/// <summary>
/// The forwarding engine: receives bursts from the ports, runs each packet through the receiving device's ingress
/// hook and hands it to the scheduler of its egress port (bridge: the other port), which enqueues it and runs its
/// root qdisc at once, as dev_queue_xmit() does. Run-to-completion on one thread: RX burst, ingress, enqueue,
/// dequeue, TX, all on the thread that owns every qdisc tree and the packet pool, so nothing on the path takes a
/// lock or allocates. A root runs only when something made it due (an enqueue, its watchdog, room on the port), never
/// in a loop. When nothing is due the thread parks in ppoll(2) on the ports' descriptors, a netlink socket for link
/// changes and a wake eventfd, until the earliest qdisc deadline minus <see cref="DatapathOptions.WakeupSpin"/>,
/// then spins the last stretch so the qdisc is dequeued at its deadline; no fixed tick.
/// Control commands run between bursts on this thread through <see cref="InvokeAsync{T}"/>.
/// </summary>
public sealed class Datapath : IControlExecutor, IDisposable
{
    private readonly IPort[] _ports;
    private readonly int[] _egressOf;
    private readonly EgressScheduler[] _schedulers;
    private readonly Dictionary<int, int> _portIndexByIfIndex = [];
    private readonly IClock _clock;
    private readonly DatapathOptions _options;
    private readonly Packet[] _burst;
    private readonly PortStatus[] _lastStatus;
    private readonly int[] _rxSlots;
    private readonly int[] _txSlots;
    private readonly Waiter _waiter;
    private readonly long _wakeupSpinNs;
    private readonly ConcurrentQueue<Action> _invocations = new();
    private readonly Lock _controlLock = new();
    private PacketQueue _ingressBacklog;
    private int _invokePending;
    private volatile bool _stopRequested;
    private Thread? _thread;
    private int _threadId = -1;
    private long _nextStatusCheckNs;
    private LinkMonitor? _linkMonitor;
    private int _linkSlot = -1;
    private SchedApi? _kernel;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="ports">The ports; each gets a device in <see cref="Devices"/> and a scheduler.</param>
    /// <param name="egressOf">For each port, the index of the port its received packets go out of, or -1 to drop them.</param>
    public Datapath(IReadOnlyList<IPort> ports, IReadOnlyList<int> egressOf, IClock clock, DatapathOptions? options = null,
        DeviceTable? devices = null)
    {
        if (ports.Count != egressOf.Count) throw new ArgumentException("one egress entry per port", nameof(egressOf));
        _ports = [.. ports];
        _egressOf = [.. egressOf];
        _clock = clock;
        _options = options ?? new DatapathOptions();
        _burst = new Packet[_options.BurstSize];
        _lastStatus = new PortStatus[_ports.Length];
        _rxSlots = new int[_ports.Length];
        _txSlots = new int[_ports.Length];
        Devices = devices ?? new DeviceTable();
        Devices.Redirector = new DatapathRedirector(this);
        _schedulers = new EgressScheduler[_ports.Length];
        for (int i = 0; i < _ports.Length; i++)
        {
            IPort port = _ports[i];
            if (Devices.Find(port.Device.Name) is null) Devices.Add(port.Device);
            AttachDefaultRoot(port.Device);
            _schedulers[i] = new EgressScheduler(port, _options.BurstSize) { Devices = Devices };
            _portIndexByIfIndex[port.Device.IfIndex] = i;
            _lastStatus[i] = port.Status;
        }
        _waiter = new Waiter(2 * _ports.Length + 1);
        _wakeupSpinNs = ToNs(_options.WakeupSpin);
    }

    /// <summary>The devices tc can name: one per port.</summary>
    public DeviceTable Devices { get; }

    public IReadOnlyList<IPort> Ports => _ports;

    public IReadOnlyList<EgressScheduler> Schedulers => _schedulers;

    /// <summary>Packets received on a port that forwards nowhere, or redirected past a full backlog.</summary>
    public long UnforwardedDrops { get; private set; }

    /// <summary>Why the datapath stopped by itself (an interface removed), or null.</summary>
    public string? Failure { get; private set; }

    public bool IsRunning => _thread is not null && !_stopped.Task.IsCompleted;

    /// <summary>Completes when the datapath thread has exited.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Raised on the datapath thread when a port's link status changes.</summary>
    public event Action<IPort, PortStatus>? PortStatusChanged;

    /// <summary>
    /// Connects the tc engine's kernel model: the datapath applies each root's size table (stab) at enqueue and
    /// samples the rate estimators when they are due, at its safe points. Call before <see cref="Start"/>.
    /// </summary>
    public void AttachKernel(SchedApi kernel)
    {
        _kernel = kernel;
        foreach (EgressScheduler s in _schedulers)
        {
            s.SizeTableResolver = kernel.RootSizeTable;
            s.InvalidateConfiguration();
        }
    }

    /// <summary>The earliest armed qdisc watchdog over the schedulers not waiting for their port, or Never.</summary>
    public TimeNs NextDeadline
    {
        get
        {
            TimeNs t = TimeNs.Never;
            foreach (EgressScheduler s in _schedulers)
            {
                if (!s.BlockedOnPort) t = TimeNs.Min(t, s.Deadline);
            }
            return t;
        }
    }

    /// <summary>Every scheduler's wake-up lateness, summed (for the final report).</summary>
    public LatenessHistogram WakeupLateness()
    {
        var all = new LatenessHistogram();
        foreach (EgressScheduler s in _schedulers) all.Add(s.WakeupLateness);
        return all;
    }

    /// <summary>
    /// The root a device gets when none is configured: pfifo_fast with the interface's txqueuelen, as dev_activate()
    /// gives a real single-queue NIC (attach_one_default_qdisc(), handle 0:).
    /// </summary>
    public static void AttachDefaultRoot(NetDevice device) =>
        device.Root ??= new PfifoFastKind().Create(null, new QdiscContext(device, 0, TcHandle.Root));

    // ---- running ----

    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("the datapath is already running");
        _thread = new Thread(ThreadMain) { Name = "datapath", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Stops the thread (if running), waits for it, and frees every packet still queued.</summary>
    public void Stop()
    {
        _stopRequested = true;
        _waiter.Wake();
        if (_thread is not null && _thread.ManagedThreadId != Environment.CurrentManagedThreadId) _thread.Join();
    }

    private void ThreadMain()
    {
        _threadId = Environment.CurrentManagedThreadId;
        if (_options.ThreadNice is int nice) LibC.setpriority(LibC.PRIO_PROCESS, (uint)LibC.gettid(), nice);
        if (_options.ThreadSlice is TimeSpan slice) RequestSlice(slice, LibC.getpriority(LibC.PRIO_PROCESS, (uint)LibC.gettid()));
        // ppoll() sleeps at least the timeout plus the thread's timer slack (50 µs by default): ask for none, so
        // that a park towards a qdisc deadline ends when it was asked to.
        LibC.prctl(LibC.PR_SET_TIMERSLACK, 1, 0, 0, 0);
        _linkMonitor = LinkMonitor.TryOpen();
        PacketPool? bound = null;
        foreach (IPort port in _ports)
        {
            // The datapath thread rents and returns; make it the pools' owner (lock-free path).
            if (!ReferenceEquals(port.Pool, bound))
            {
                port.Pool.BindToCurrentThread();
                bound = port.Pool;
            }
        }
        long spinNs = (long)(_options.SpinBeforePark.TotalMilliseconds * TimeNs.NsPerMs);
        long idleSinceNs = 0;
        bool idle = false;
        try
        {
            while (!_stopRequested)
            {
                if (Volatile.Read(ref _invokePending) != 0) RunInvocations();
                TimeNs now = _clock.Now;
                if (now.Value >= _nextStatusCheckNs || PortStatusMoved()) CheckPorts(now);
                if (_kernel is { } kernel && now >= kernel.NextEstimatorSample) kernel.TickEstimators(now);
                if (PollOnce(now))
                {
                    idle = false;
                    continue;
                }
                if (!idle)
                {
                    idle = true;
                    idleSinceNs = now.Value;
                }
                if (now.Value - idleSinceNs < spinNs)
                {
                    Thread.SpinWait(20);
                    continue;
                }
                if (Park(now)) idle = false;
            }
        }
        catch (Exception e)
        {
            Failure = $"datapath stopped: {e.GetType().Name}: {e.Message}";
        }
        finally
        {
            RunInvocations();
            DrainQueues();
            // The last look at the kernel's drop counters, so the totals hold what happened since the last check.
            foreach (IPort port in _ports) port.RefreshStatus();
            _linkMonitor?.Dispose();
            _linkMonitor = null;
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// One iteration on the calling thread: a receive burst from every port (each packet enqueued runs its egress
    /// root at once), then a run of every root that is due (watchdog expired, port has room again, quota left
    /// over), then one transmit kick per port. Returns whether any packet moved. Tests and benchmarks drive the
    /// datapath with it directly; calling it when nothing is due dequeues nothing.
    /// </summary>
    public bool PollOnce(TimeNs now)
    {
        bool work = false;
        Packet[] burst = _burst;
        EgressScheduler[] schedulers = _schedulers;
        // A deadline that passed while this thread was away came before most of what arrived meanwhile: in the
        // kernel its hrtimer dequeues first, and the room it frees goes to the first arrival after it, not to one
        // that came before the deadline and waited in the ring.
        for (int e = 0; e < schedulers.Length; e++)
        {
            if (schedulers[e].RunIfWatchdogExpired(now) > 0) work = true;
        }
        for (int i = 0; i < _ports.Length; i++)
        {
            IPort port = _ports[i];
            if (!port.CanReceive) continue;
            int n = port.Receive(burst, now);
            if (n == 0) continue;
            work = true;
            NetDevice device = port.Device;
            int egress = _egressOf[i];
            EgressScheduler? target = egress >= 0 ? schedulers[egress] : null;
            for (int k = 0; k < n; k++)
            {
                Packet p = burst[k];
                burst[k] = null!;
                if (!IngressHook.Run(device, p, Devices)) continue;
                if (target is null)
                {
                    UnforwardedDrops++;
                    p.Free();
                    continue;
                }
                target.Enqueue(p, now);
            }
        }
        if (!_ingressBacklog.IsEmpty)
        {
            ProcessIngressBacklog(now);
            work = true;
        }
        for (int e = 0; e < schedulers.Length; e++)
        {
            if (schedulers[e].RunIfDue(now) > 0) work = true;
        }
        for (int e = 0; e < schedulers.Length; e++) schedulers[e].Kick();
        return work;
    }

    /// <summary>
    /// Sleeps until a port has traffic, a link changes, someone wakes the thread, or the earliest qdisc deadline
    /// comes within <see cref="DatapathOptions.WakeupSpin"/>; from there the caller spins (polls again at once) so
    /// the deadline is met on time instead of a scheduler latency late. Returns whether it slept.
    /// </summary>
    private bool Park(TimeNs now)
    {
        bool descriptorless = false;
        _waiter.Reset();
        _linkSlot = _linkMonitor is { } monitor ? _waiter.Add(monitor.Fd, LibC.POLLIN) : -1;
        for (int i = 0; i < _ports.Length; i++)
        {
            IPort port = _ports[i];
            _rxSlots[i] = port.CanReceive ? _waiter.Add(port.ReadinessFd, LibC.POLLIN) : -1;
            if (port.CanReceive && port.ReadinessFd < 0) descriptorless = true;
            EgressScheduler s = _schedulers[i];
            _txSlots[i] = -1;
            if (s.BlockedOnPort)
            {
                _txSlots[i] = _waiter.Add(port.TxReadinessFd, LibC.POLLOUT);
                if (port.TxReadinessFd < 0) descriptorless = true;
            }
        }
        long timeoutNs = ToNs(descriptorless ? _options.MaxParkWithoutDescriptors : _options.MaxPark);
        TimeNs deadline = NextDeadline;
        if (!deadline.IsNever)
        {
            long ns = deadline.Since(now);
            if (ns <= _wakeupSpinNs) return false; // due, or close enough to spin towards it
            timeoutNs = Math.Min(timeoutNs, ns - _wakeupSpinNs);
        }
        if (_kernel is { } kernel && !kernel.NextEstimatorSample.IsNever)
        {
            long ns = kernel.NextEstimatorSample.Since(now);
            if (ns <= 0) return false;
            timeoutNs = Math.Min(timeoutNs, ns);
        }
        timeoutNs = Math.Min(timeoutNs, Math.Max(0, _nextStatusCheckNs - now.Value));
        _waiter.Wait(timeoutNs);
        if ((_waiter.Revents(_linkSlot) & LibC.POLLIN) != 0 && _linkMonitor!.Drain()) _nextStatusCheckNs = 0;
        for (int i = 0; i < _ports.Length; i++)
        {
            if ((_waiter.Revents(_rxSlots[i]) & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) _nextStatusCheckNs = 0;
        }
        return true;
    }

    /// <summary>sched_setattr(2) on this thread: SCHED_OTHER, the nice value it already has, and a custom slice.</summary>
    private static unsafe void RequestSlice(TimeSpan slice, int nice)
    {
        LibC.SchedAttr attr = default;
        attr.Size = (uint)sizeof(LibC.SchedAttr);
        attr.Nice = nice;
        attr.RuntimeNs = (ulong)ToNs(slice);
        LibC.syscall(LibC.SYS_sched_setattr, LibC.gettid(), (nint)(&attr), 0); // best effort: kernels before 6.12 ignore the slice
    }

    private static long ToNs(TimeSpan t) => (long)(t.TotalMilliseconds * TimeNs.NsPerMs);

    /// <summary>
    /// A port may change its own status between checks (a send failing with ENETDOWN while the link goes down):
    /// look at once instead of after the next periodic check, which is a second away with netlink watching links.
    /// </summary>
    private bool PortStatusMoved()
    {
        for (int i = 0; i < _ports.Length; i++)
        {
            if (_ports[i].Status != _lastStatus[i]) return true;
        }
        return false;
    }

    private void CheckPorts(TimeNs now)
    {
        bool allUp = true;
        for (int i = 0; i < _ports.Length; i++)
        {
            PortStatus status = _ports[i].RefreshStatus();
            if (status != PortStatus.Up) allUp = false;
            if (status == _lastStatus[i]) continue;
            _lastStatus[i] = status;
            PortStatusChanged?.Invoke(_ports[i], status);
            if (status == PortStatus.Removed)
            {
                Failure = $"interface {_ports[i].Name} was removed; stopping";
                _stopRequested = true;
            }
        }
        // Netlink wakes the thread on link changes, so with all links up the periodic look only refreshes the
        // kernel's drop counters; without netlink, or while a link is down, links are polled.
        TimeSpan interval = _linkMonitor is not null && allUp ? _options.MaxPark : _options.LinkPollInterval;
        _nextStatusCheckNs = now.Value + ToNs(interval);
    }

    // ---- redirects ----

    internal bool RedirectToEgress(NetDevice device, Packet packet)
    {
        if (!_portIndexByIfIndex.TryGetValue(device.IfIndex, out int index))
        {
            packet.Free();
            return false;
        }
        return _schedulers[index].Enqueue(packet, _clock.Now).IsSuccess();
    }

    internal bool RedirectToIngress(NetDevice device, Packet packet)
    {
        if (!_portIndexByIfIndex.ContainsKey(device.IfIndex) || _ingressBacklog.Count >= _options.IngressBacklogLimit)
        {
            UnforwardedDrops++;
            packet.Free();
            return false;
        }
        packet.Meta.IfIndex = device.IfIndex;
        _ingressBacklog.EnqueueTail(packet);
        return true;
    }

    private void ProcessIngressBacklog(TimeNs now)
    {
        int budget = _ingressBacklog.Count; // packets redirected while processing wait for the next round
        while (budget-- > 0 && _ingressBacklog.DequeueHead() is { } p)
        {
            int i = _portIndexByIfIndex[p.Meta.IfIndex];
            if (!IngressHook.Run(_ports[i].Device, p, Devices)) continue;
            int egress = _egressOf[i];
            if (egress < 0)
            {
                UnforwardedDrops++;
                p.Free();
                continue;
            }
            _schedulers[egress].Enqueue(p, now);
        }
    }

    // ---- control ----

    /// <summary>
    /// Runs <paramref name="action"/> on the datapath thread at a safe point between bursts (no packet in flight,
    /// every qdisc tree quiescent), or right away under a lock when the datapath is not running.
    /// </summary>
    public Task<T> InvokeAsync<T>(Func<T> action)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Run()
        {
            try { done.TrySetResult(action()); }
            catch (Exception e) { done.TrySetException(e); }
        }
        lock (_controlLock)
        {
            if (!IsRunning || Environment.CurrentManagedThreadId == _threadId)
            {
                Run();
                return done.Task;
            }
            _invocations.Enqueue(Run);
            Volatile.Write(ref _invokePending, 1);
        }
        _waiter.Wake();
        return done.Task;
    }

    public Task InvokeAsync(Action action) => InvokeAsync(() =>
    {
        action();
        return true;
    });

    private void RunInvocations()
    {
        Volatile.Write(ref _invokePending, 0);
        bool ran = false;
        while (_invocations.TryDequeue(out Action? a))
        {
            a();
            ran = true;
        }
        // A command may have replaced a root or changed its size table.
        if (ran)
        {
            foreach (EgressScheduler s in _schedulers) s.InvalidateConfiguration();
        }
    }

    private void DrainQueues()
    {
        _ingressBacklog.Purge();
        foreach (EgressScheduler s in _schedulers)
        {
            s.Purge();
            s.Root.Reset();
        }
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Stop();
        if (_thread is null) DrainQueues();
        _waiter.Dispose();
        Debug.Assert(_invocations.IsEmpty);
    }
}
