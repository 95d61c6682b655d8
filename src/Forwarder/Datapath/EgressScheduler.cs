using System.Runtime.CompilerServices;
using Forwarder.Ports;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Time;

namespace Forwarder.Datapath;

/// <summary>
/// The scheduler of one egress port: the only code that touches the port's qdisc tree (the kernel's qdisc lock,
/// made structural by ownership). It runs the root the way net/core/dev.c and net/sched/sch_generic.c do:
/// <list type="bullet">
/// <item><see cref="Enqueue"/> is __dev_queue_xmit(): clsact's egress block (sch_handle_egress()), the root's size
/// table (qdisc_calculate_pkt_len()), the root's enqueue, then at once a run of the root (__dev_xmit_skb() ->
/// __qdisc_run()).</item>
/// <item>A run (qdisc_restart() in a loop) dequeues and hands packets to the port until the qdisc returns nothing,
/// the port is full (netif_xmit_frozen_or_stopped(): no dequeue at all then) or the quota is spent (then the root
/// stays scheduled, like __netif_schedule()).</item>
/// <item>Otherwise the root runs only when it is due: its watchdog deadline has passed (qdisc_watchdog() firing),
/// or the port has room again after it was full (netif_tx_wake_queue()). Never in a busy loop: a throttled
/// shaper is asked exactly as often as in Linux, so its overlimits count the same.</item>
/// </list>
/// A packet the port refused after dequeue waits in a requeue slot (the kernel's q->gso_skb) and goes first.
/// Transmissions are kicked once per datapath iteration (<see cref="Kick"/>), like xmit_more.
/// </summary>
public sealed class EgressScheduler
{
    /// <summary>When a qdisc answers a wake-up in the past for what it holds (a stale watchdog), look again after this.</summary>
    internal const long StaleWakeupRecheckNs = 1_000_000;

    // Packets one run may send (its quota) and asks the port room for at a time.
    private readonly int _burst;
    private PacketQueue _requeued;
    private bool _scheduled;
    private bool _running;
    private bool _kickOwed;
    private int _room;
    private TimeNs _timer = TimeNs.Never;

    // The root the cached size table belongs to; re-resolved when the root changes or a control command ran.
    private Qdisc? _stabRoot;
    private SizeTableSpec? _stab;

    public EgressScheduler(IPort port, int burstSize)
    {
        Port = port;
        Device = port.Device;
        _burst = burstSize;
    }

    public IPort Port { get; }

    public NetDevice Device { get; }

    /// <summary>The root qdisc, read at every call so that a control command may replace it at a safe point.</summary>
    public Qdisc Root => Device.Root!;

    /// <summary>The devices a bpf_redirect() from clsact's egress hook may name; null: such packets are dropped.</summary>
    internal DeviceTable? Devices { get; init; }

    /// <summary>Where the root's size table comes from (the tc engine's record of the root); null: none.</summary>
    internal Func<NetDevice, SizeTableSpec?>? SizeTableResolver { get; set; }

    /// <summary>Packets the port refused after dequeue; counted as requeues.</summary>
    public int RequeuedCount => _requeued.Count;

    /// <summary>The last run stopped because the port was full: wait for the port, not for time.</summary>
    public bool BlockedOnPort { get; private set; }

    /// <summary>The armed watchdog: when the root must run again without new arrivals, or Never.</summary>
    public TimeNs Deadline => _timer;

    /// <summary>Runs of the root (qdisc_run() calls), for tests and diagnostics.</summary>
    public long Runs { get; private set; }

    /// <summary>Dequeue calls on the root.</summary>
    public long DequeueCalls { get; private set; }

    /// <summary>Packets sent past an empty pfifo_fast root without an enqueue (TCQ_F_CAN_BYPASS).</summary>
    public long Bypassed { get; private set; }

    /// <summary>Runs caused by the watchdog, and how late after its deadline they dequeued.</summary>
    public LatenessHistogram WakeupLateness { get; } = new();

    /// <summary>Times the root answered a wake-up that had already passed for packets it holds (see the notes).</summary>
    public long StaleWakeups { get; private set; }

    /// <summary>
    /// __dev_queue_xmit() for this port: the egress hook, the size table, the root's enqueue, then a run of the
    /// root. The packet belongs to the qdisc (or the hook) afterwards.
    /// </summary>
    public EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        ref PacketMetadata m = ref packet.Meta;
        m.IfIndex = Device.IfIndex;
        // qdisc_pkt_len_init(): the hook and the root see the frame length until a size table says otherwise.
        m.QdiscLength = packet.Length;
        if (Device.Ingress is { } hook && !EgressHook.Run(hook, packet, Devices, out EnqueueResult consumed)) return consumed;
        Qdisc root = Root;
        if (!ReferenceEquals(root, _stabRoot)) ResolveSizeTable(root);
        if (_stab is { } stab) m.QdiscLength = stab.PacketLength(packet.Length);
        if (root.CanBypass && root.QueueLength == 0 && _requeued.IsEmpty && !_running && HasRoom())
        {
            Bypass(root, packet, now);
            return EnqueueResult.Success;
        }
        EnqueueResult result = root.Enqueue(packet, now);
        Run(now);
        return result;
    }

    /// <summary>
    /// __dev_xmit_skb()'s TCQ_F_CAN_BYPASS path (<see cref="Qdisc.CanBypass"/>): a work-conserving root that holds
    /// nothing and is not running hands the packet straight to the device (sch_direct_xmit()), counted as sent
    /// (qdisc_bstats_update()) without an enqueue and a dequeue. Taken only when the port has room; a full port
    /// sends the packet through the queue instead, where the kernel would requeue it: the same departure order.
    /// </summary>
    private void Bypass(Qdisc root, Packet packet, TimeNs now)
    {
        Bypassed++;
        root.Stats.CountSent(packet.Meta.QdiscLength);
        BlockedOnPort = false;
        Transmit(root, packet, now);
    }

    /// <summary>
    /// Hands one packet to the port (sch_direct_xmit()); false when the port refused it after saying it had room,
    /// and the packet waits at the head for the next run (dev_requeue_skb()).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Transmit(Qdisc root, Packet packet, TimeNs now)
    {
        if (Port.Send(new ReadOnlySpan<Packet>(ref packet), now) == 0)
        {
            _requeued.EnqueueHead(packet);
            root.Stats.Requeues++;
            _room = 0;
            BlockedOnPort = true;
            return false;
        }
        _room--;
        _kickOwed = true;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool HasRoom() => _room > 0 || (_room = Port.TxSpace(_burst)) > 0;

    /// <summary>Whether the root must run now: scheduled, its watchdog expired, or the port has room again.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsDue(TimeNs now) =>
        _scheduled || (!_timer.IsNever && _timer <= now) || (BlockedOnPort && Port.TxSpace(1) > 0);

    /// <summary>Runs the root when its watchdog has fired (qdisc_watchdog()); returns the packets handed to the port.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int RunIfWatchdogExpired(TimeNs now) => !_timer.IsNever && _timer <= now ? Run(now) : 0;

    /// <summary>Runs the root when it is due; returns the packets handed to the port.</summary>
    public int RunIfDue(TimeNs now) => IsDue(now) ? Run(now) : 0;

    /// <summary>
    /// qdisc_run(): dequeues and sends while the port has room, at most the quota. Returns the packets handed to
    /// the port. A run that ends because the qdisc returned nothing arms the watchdog from its NextWakeup.
    /// </summary>
    public int Run(TimeNs now)
    {
        if (_running)
        {
            // qdisc_run_begin() fails: the run in progress (a redirect from inside it) will not see this one.
            _scheduled = true;
            return 0;
        }
        _running = true;
        _scheduled = false;
        Runs++;
        if (!_timer.IsNever && _timer <= now)
        {
            WakeupLateness.Record(now - _timer);
            _timer = TimeNs.Never; // the hrtimer fired: it is gone until the qdisc asks again
        }
        Qdisc root = Root;
        int sent = 0;
        int quota = _burst;
        BlockedOnPort = false;
        while (true)
        {
            if (!HasRoom())
            {
                BlockedOnPort = true;
                break;
            }
            Packet? p = _requeued.DequeueHead();
            if (p is null)
            {
                DequeueCalls++;
                p = root.Dequeue(now);
                if (p is null)
                {
                    ArmWatchdog(root, now);
                    break;
                }
            }
            if (!Transmit(root, p, now)) break;
            sent++;
            if (--quota == 0)
            {
                _scheduled = true; // __netif_schedule(): continue after the other work of this iteration
                break;
            }
        }
        _running = false;
        return sent;
    }

    /// <summary>Hands what the runs queued to the interface: one kick per datapath iteration.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Kick()
    {
        if (!_kickOwed) return;
        _kickOwed = false;
        Port.Flush();
    }

    /// <summary>
    /// After the qdisc returned nothing: the watchdog it set, if it holds packets. A wake-up at or before now is
    /// one that already fired (a qdisc's deadline is in the future when it sets it), so it does not count; if the
    /// qdisc holds packets and answers only such a time, it is looked at again a little later rather than never.
    /// </summary>
    private void ArmWatchdog(Qdisc root, TimeNs now)
    {
        if (root.QueueLength == 0)
        {
            _timer = TimeNs.Never;
            return;
        }
        TimeNs t = root.NextWakeup(now);
        if (t.IsNever || t > now)
        {
            _timer = t;
            return;
        }
        StaleWakeups++;
        _timer = now + StaleWakeupRecheckNs;
    }

    /// <summary>Forgets the cached size table (a control command may have changed it).</summary>
    internal void InvalidateConfiguration() => _stabRoot = null;

    private void ResolveSizeTable(Qdisc root)
    {
        _stabRoot = root;
        _stab = SizeTableResolver?.Invoke(Device);
    }

    /// <summary>Frees the requeued packets (shutdown).</summary>
    public void Purge() => _requeued.Purge();
}
