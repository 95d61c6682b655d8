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
using Sched.Fast.Time;

namespace Forwarder.Datapath;

/// <summary>
/// The forwarding engine: receives bursts from the ports, runs each packet through the receiving device's ingress
/// hook, hands it to the scheduler of its egress port (bridge: the other port), and lets every scheduler dequeue
/// while its port can send. Run-to-completion on one thread: RX burst, ingress, enqueue, dequeue, TX burst, all on
/// the thread that owns every qdisc tree and the packet pool, so nothing on the path takes a lock or allocates.
/// When there is nothing to do it spins briefly, then parks in poll(2) on the ports' descriptors until traffic
/// arrives, a qdisc's watchdog (NextWakeup) expires, or another thread wakes it; no fixed tick.
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
    private readonly ConcurrentQueue<Action> _invocations = new();
    private readonly Lock _controlLock = new();
    private PacketQueue _ingressBacklog;
    private int _invokePending;
    private volatile bool _stopRequested;
    private Thread? _thread;
    private int _threadId = -1;
    private long _nextStatusCheckNs;
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
            _schedulers[i] = new EgressScheduler(port, _options.BurstSize);
            _portIndexByIfIndex[port.Device.IfIndex] = i;
            _lastStatus[i] = port.Status;
        }
        _waiter = new Waiter(2 * _ports.Length);
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
                if (now.Value >= _nextStatusCheckNs) CheckPorts(now);
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
                Park(now);
                idle = false;
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
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// One iteration on the calling thread: a receive burst from every port, forwarding, and a transmit run of every
    /// scheduler. Returns whether any packet moved. Tests and benchmarks drive the datapath with it directly.
    /// </summary>
    public bool PollOnce(TimeNs now)
    {
        bool work = false;
        Packet[] burst = _burst;
        for (int i = 0; i < _ports.Length; i++)
        {
            IPort port = _ports[i];
            if (!port.CanReceive) continue;
            int n = port.Receive(burst, now);
            if (n == 0) continue;
            work = true;
            NetDevice device = port.Device;
            int egress = _egressOf[i];
            for (int k = 0; k < n; k++)
            {
                Packet p = burst[k];
                burst[k] = null!;
                if (!IngressHook.Run(device, p, Devices)) continue;
                if (egress < 0)
                {
                    UnforwardedDrops++;
                    p.Free();
                    continue;
                }
                _schedulers[egress].Enqueue(p, now);
            }
        }
        if (!_ingressBacklog.IsEmpty)
        {
            ProcessIngressBacklog(now);
            work = true;
        }
        for (int e = 0; e < _schedulers.Length; e++)
        {
            if (_schedulers[e].Run(now) > 0) work = true;
        }
        return work;
    }

    private void Park(TimeNs now)
    {
        TimeNs wake = TimeNs.Never;
        bool descriptorless = false;
        _waiter.Reset();
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
            else
            {
                wake = TimeNs.Min(wake, s.NextWakeup(now));
            }
        }
        TimeSpan max = descriptorless ? _options.MaxParkWithoutDescriptors : _options.MaxPark;
        long timeoutNs = (long)(max.TotalMilliseconds * TimeNs.NsPerMs);
        if (!wake.IsNever)
        {
            long ns = wake.Since(now);
            if (ns <= 0) return;
            timeoutNs = Math.Min(timeoutNs, ns);
        }
        _waiter.Wait(timeoutNs);
        for (int i = 0; i < _ports.Length; i++)
        {
            if ((_waiter.Revents(_rxSlots[i]) & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) _nextStatusCheckNs = 0;
        }
    }

    private void CheckPorts(TimeNs now)
    {
        _nextStatusCheckNs = now.Value + (long)(_options.MaxPark.TotalMilliseconds * TimeNs.NsPerMs);
        for (int i = 0; i < _ports.Length; i++)
        {
            PortStatus status = _ports[i].RefreshStatus();
            if (status == _lastStatus[i]) continue;
            _lastStatus[i] = status;
            PortStatusChanged?.Invoke(_ports[i], status);
            if (status == PortStatus.Removed)
            {
                Failure = $"interface {_ports[i].Name} was removed; stopping";
                _stopRequested = true;
            }
        }
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
        while (_invocations.TryDequeue(out Action? a)) a();
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
