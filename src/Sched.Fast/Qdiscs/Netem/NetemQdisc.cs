using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs.Noqueue;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// netem, the network emulator (net/sched/sch_netem.c as in Linux 6.1, plus 6.7's seeded generator): delay with
/// jitter drawn from a distribution table, random or Markov-model loss (or ECN marking instead), duplication,
/// corruption, reordering, a rate with per-packet and per-cell overheads, transmission slots, and a limit. Packets
/// wait in a time-ordered queue (tfifo) until their time to send; an optional child qdisc under class 1 receives
/// them as they become due.
/// <para>
/// Randomness: every draw that Linux 6.7+ takes from netem's seeded prandom state (loss, duplication, corruption and
/// reorder decisions, delay and slot tables, the loss models) comes from one <see cref="PrandomState"/>, in the
/// kernel's order, so a given <c>seed</c> makes the same decisions as the kernel. The draws the kernel takes from
/// its entropy pool (the correlations' starting values, the corrupted bit, uniform slot gaps) come from a second
/// generator derived from the same seed, so a seeded run is reproducible from end to end.
/// </para>
/// </summary>
public sealed class NetemQdisc : ClassfulQdisc
{
    private enum LossModelKind : byte { Random, FourState, GilbertElliott }

    // ---- configuration (struct netem_sched_data) ----
    private uint _limit;
    private long _latencyNs;
    private long _jitterNs;
    private uint _loss;
    private uint _ecn;
    private uint _counter;
    private uint _gap;
    private uint _duplicate;
    private uint _reorder;
    private uint _corrupt;
    private ulong _rate;
    private int _packetOverhead;
    private uint _cellSize;
    private int _cellOverhead;
    private CorrelatedRandom _delayCor, _lossCor, _dupCor, _reorderCor, _corruptCor;
    private NetemDistributionTable? _delayDist;
    private NetemDistributionTable? _slotDist;
    private LossModelKind _lossModel;
    private CorrelatedLossGenerator _clg;
    private NetemSlotSpec? _slotConfig;
    private bool _slotOn;
    private long _slotNext;
    private int _slotPacketsLeft;
    private int _slotBytesLeft;
    private ulong _seed;
    private bool _seedConfigured;
    private PrandomState _prng;
    private PrandomState _entropy;

    // ---- queues ----
    // sch->q: packets picked for reordering go to its head and leave before anything else.
    private PacketQueue _reorderQueue;
    private readonly NetemTimeQueue _tfifo = new();
    private Qdisc? _child;
    private NetemClass? _class;

    private NetemQdisc(QdiscContext context) : base(context)
    {
        // netem_init(): the generator is seeded from entropy until a seed is configured.
        ReseedGenerators(NewRandomSeed());
    }

    /// <summary>netem_init(): a netem with <paramref name="spec"/> applied (the kernel requires options).</summary>
    internal static NetemQdisc Create(NetemSpec spec, QdiscContext context)
    {
        var q = new NetemQdisc(context);
        q.Change(spec);
        return q;
    }

    public override string Kind => "netem";

    /// <summary>The child qdisc under class 1, or null (packets then leave straight from the time queue).</summary>
    public Qdisc? Child => _child;

    /// <summary>sch->limit: the most packets the time queue holds.</summary>
    public uint Limit => _limit;

    /// <summary>The configured delay in nanoseconds.</summary>
    public long LatencyNs => _latencyNs;

    /// <summary>The configured jitter in nanoseconds (capped to int.MaxValue, as the kernel does).</summary>
    public long JitterNs => _jitterNs;

    /// <summary>The rate in bytes per second, 0 for none.</summary>
    public ulong RateBytesPerSecond => _rate;

    /// <summary>Packets in the time queue (q->t_len).</summary>
    public int TimeQueueLength => _tfifo.Count;

    // ---- data path ----

    /// <summary>netem_enqueue().</summary>
    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        int count = 1;
        if (_duplicate != 0 && _duplicate >= _dupCor.Next(ref _prng)) count++;
        if (LossEvent())
        {
            // An ECN-capable packet is marked instead of lost; the kernel counts the mark as a drop.
            if (_ecn != 0 && Ecn.TrySetCe(packet)) Stats.Drops++;
            else count--;
        }
        if (count == 0)
        {
            Stats.Drops++;
            packet.Free();
            return EnqueueResult.Success | EnqueueResult.Bypass;
        }

        // Cloned before corruption touches the original; a failed clone (empty pool) is no duplicate, as when
        // skb_clone() fails.
        Packet? duplicate = count > 1 ? packet.Clone() : null;

        if (_corrupt != 0 && _corrupt >= _corruptCor.Next(ref _prng)) Corrupt(packet);

        if (_tfifo.Count >= _limit)
        {
            Stats.Drops++;
            packet.Free();
            duplicate?.Free();
            return EnqueueResult.Drop;
        }

        if (duplicate is not null) EnqueueDuplicateAtRoot(duplicate, now);

        Stats.Backlog += (uint)packet.QdiscLength;
        if (_gap == 0 || _counter < _gap - 1 || _reorder < _reorderCor.Next(ref _prng))
        {
            long delay = TableDist(_latencyNs, (int)_jitterNs, ref _delayCor, ref _prng, _delayDist);
            long start = now.Value;
            if (_rate != 0)
            {
                // The newest queued packet is the reference point: this one is serialised after it, and the part
                // of its own delay that overlaps the wait is not added twice.
                if (TryGetLatestTimeToSend(out long last))
                {
                    delay -= last - start;
                    delay = Math.Max(0, delay);
                    start = last;
                }
                delay += (long)PacketTimeNs((ulong)packet.QdiscLength);
            }
            packet.Meta.QdiscScratch = start + delay;
            _counter++;
            _tfifo.Enqueue(packet);
        }
        else
        {
            // Reordering: this packet goes to the front of everything, to be sent now.
            packet.Meta.QdiscScratch = now.Value;
            _counter = 0;
            _reorderQueue.EnqueueHead(packet);
            Stats.Requeues++;
        }
        Stats.Qlen++;
        return EnqueueResult.Success;
    }

    /// <summary>netem_dequeue().</summary>
    protected override Packet? DequeueCore(TimeNs now)
    {
        CancelWatchdog();
        while (true)
        {
            Packet? p = _reorderQueue.DequeueHead();
            if (p is not null) return Deliver(p);

            p = _tfifo.Peek();
            if (p is not null)
            {
                long timeToSend = NetemTimeQueue.TimeToSend(p);
                if (_slotOn && _slotNext < timeToSend) NextSlot(now);
                if (timeToSend <= now.Value && (!_slotOn || _slotNext <= now.Value))
                {
                    _tfifo.RemoveFirst(p);
                    int length = p.QdiscLength;
                    if (_slotOn)
                    {
                        _slotPacketsLeft--;
                        _slotBytesLeft -= length;
                        if (_slotPacketsLeft <= 0 || _slotBytesLeft <= 0) NextSlot(now);
                    }
                    if (_child is null) return Deliver(p);
                    EnqueueResult result = _child.Enqueue(p, now);
                    if (result != EnqueueResult.Success)
                    {
                        if (result.CountsAsDrop()) Stats.Drops++;
                        Stats.Backlog -= (uint)length;
                        Stats.Qlen--;
                        TreeReduceBacklog(1, length);
                    }
                    continue;
                }
                if (_child?.Dequeue(now) is { } fromChild) return Deliver(fromChild);
                ScheduleWatchdog(new TimeNs(_slotOn ? Math.Max(timeToSend, _slotNext) : timeToSend));
            }
            return _child?.Dequeue(now) is { } c ? Deliver(c) : null;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Packet Deliver(Packet p)
    {
        CountDequeued(p);
        return p;
    }

    public override TimeNs NextWakeup(TimeNs now)
    {
        TimeNs t = Watchdog;
        if (_child is { QueueLength: > 0 } child) t = TimeNs.Min(t, child.NextWakeup(now));
        return t;
    }

    protected override void ResetCore()
    {
        _reorderQueue.Purge();
        _tfifo.Purge();
        _child?.Reset();
    }

    // ---- random decisions ----

    /// <summary>loss_event().</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool LossEvent() => _lossModel switch
    {
        LossModelKind.Random => _loss != 0 && _loss >= _lossCor.Next(ref _prng),
        LossModelKind.FourState => _clg.FourStateLoss(_prng.Next()),
        _ => _clg.GilbertElliottLoss(ref _prng),
    };

    /// <summary>
    /// tabledist(): a delay with mean <paramref name="mu"/> and spread <paramref name="sigma"/>: uniform on
    /// [mu - sigma, mu + sigma) without a table, else mu + sigma * table[r] / 8192 with the kernel's split
    /// rounding (the remainder part is rounded half away from zero, the quotient part is exact).
    /// </summary>
    internal static long TableDist(long mu, int sigma, ref CorrelatedRandom state, ref PrandomState prng,
        NetemDistributionTable? dist)
    {
        if (sigma == 0) return mu;
        uint rnd = state.Next(ref prng);
        if (dist is null) return rnd % (2u * (uint)sigma) + mu - sigma;
        long t = dist[(int)(rnd % (uint)dist.Count)];
        long x = sigma % NetemDistributionTable.Scale * t;
        x += x >= 0 ? NetemDistributionTable.Scale / 2 : -NetemDistributionTable.Scale / 2;
        return x / NetemDistributionTable.Scale + sigma / NetemDistributionTable.Scale * t + mu;
    }

    /// <summary>packet_time_ns(): the time <paramref name="length"/> bytes take at the configured rate.</summary>
    private ulong PacketTimeNs(ulong length) => PacketTimeNs(length, _rate, _packetOverhead, _cellSize, _cellOverhead);

    internal static ulong PacketTimeNs(ulong length, ulong rate, int packetOverhead, uint cellSize, int cellOverhead)
    {
        length = unchecked(length + (ulong)(long)packetOverhead);
        if (cellSize != 0)
        {
            // reciprocal_divide() on the low 32 bits is an exact 32-bit division; the arithmetic after it is
            // 32-bit as in the kernel.
            uint cells = (uint)length / cellSize;
            if (length > unchecked(cells * cellSize)) cells++;
            length = unchecked(cells * (cellSize + (uint)cellOverhead));
        }
        return unchecked(length * TimeNs.NsPerSecond) / rate;
    }

    /// <summary>The latest time to send among queued packets (the reorder queue's tail and the tfifo).</summary>
    private bool TryGetLatestTimeToSend(out long last)
    {
        bool any = false;
        last = 0;
        if (_reorderQueue.Tail is { } tail)
        {
            last = NetemTimeQueue.TimeToSend(tail);
            any = true;
        }
        if (_tfifo.TryGetLatestTime(out long t) && (!any || t > last))
        {
            last = t;
            any = true;
        }
        return any;
    }

    /// <summary>Flips one random bit of the frame (the kernel corrupts skb->data, which starts at the link header).</summary>
    private void Corrupt(Packet packet)
    {
        Span<byte> data = packet.Data;
        if (data.Length == 0) return;
        data[(int)_entropy.Below((uint)data.Length)] ^= (byte)(1 << (int)_entropy.Below(8));
    }

    /// <summary>
    /// The duplicate goes in at the top of the tree (qdisc_root_bh()), since the parent expects only one packet
    /// from this enqueue; duplication is switched off meanwhile so that a duplicate is not duplicated again.
    /// </summary>
    private void EnqueueDuplicateAtRoot(Packet duplicate, TimeNs now)
    {
        Qdisc root = this;
        while (root.ParentQdisc is { } parent) root = parent;
        uint saved = _duplicate;
        _duplicate = 0;
        root.Enqueue(duplicate, now);
        _duplicate = saved;
    }

    /// <summary>get_slot_next(): opens the next slot after a gap, with fresh packet and byte allowances.</summary>
    private void NextSlot(TimeNs now)
    {
        NetemSlotSpec slot = _slotConfig!;
        long gap;
        if (_slotDist is null)
        {
            ulong span = (ulong)(slot.MaxDelayNs - slot.MinDelayNs);
            gap = slot.MinDelayNs + (long)(ulong)(((UInt128)span * _entropy.Next()) >> 32);
        }
        else
        {
            var uncorrelated = default(CorrelatedRandom);
            gap = TableDist(slot.DistDelayNs, (int)slot.DistJitterNs, ref uncorrelated, ref _prng, _slotDist);
        }
        _slotNext = now.Value + gap;
        _slotPacketsLeft = slot.MaxPackets;
        _slotBytesLeft = slot.MaxBytes;
    }

    // ---- control path ----

    /// <summary>
    /// netem_change(). Everything is validated before anything changes (the kernel applies part of a change before
    /// its duplicate check can fail; this does not). Attributes absent from <paramref name="spec"/> keep their
    /// current values exactly where the kernel keeps them.
    /// </summary>
    public override void Change(QdiscSpec spec)
    {
        if (spec is not NetemSpec s) throw new ArgumentException("netem expects netem options", nameof(spec));
        CheckDuplicationInTree(s.Duplicate != 0);
        Apply(s);
    }

    private void Apply(NetemSpec s)
    {
        switch (s.LossModel)
        {
            case NetemStateLossSpec gi:
                _lossModel = LossModelKind.FourState;
                _clg = new CorrelatedLossGenerator
                {
                    State = CorrelatedLossGenerator.TxInGapPeriod,
                    A1 = gi.P13, A2 = gi.P31, A3 = gi.P32, A4 = gi.P14, A5 = gi.P23,
                };
                break;
            case NetemGilbertElliottSpec ge:
                _lossModel = LossModelKind.GilbertElliott;
                _clg = new CorrelatedLossGenerator
                {
                    State = CorrelatedLossGenerator.GoodState,
                    A1 = ge.P, A2 = ge.R, A3 = ge.H, A4 = ge.K1, A5 = _clg.A5,
                };
                break;
            default:
                _lossModel = LossModelKind.Random;
                break;
        }
        if (s.DelayDistribution is not null) _delayDist = s.DelayDistribution;
        if (s.SlotDistribution is not null) _slotDist = s.SlotDistribution;

        _limit = s.Limit;
        _latencyNs = NetemTicks.TicksToNs(s.LatencyTicks);
        _jitterNs = NetemTicks.TicksToNs(s.JitterTicks);
        _gap = s.Gap;
        _counter = 0;
        _loss = s.Loss;
        _duplicate = s.Duplicate;
        // For compatibility with old tc: a gap alone means reorder every gap-th packet.
        if (_gap != 0) _reorder = uint.MaxValue;

        // The seed is the kernel's last step; it comes first here so that the correlations below start from the
        // seeded stream too (the kernel starts them from its entropy pool, which no seed reproduces).
        if (s.Seed is { } seed)
        {
            _seedConfigured = true;
            ReseedGenerators(seed);
        }
        if (s.Correlation is { } c)
        {
            _delayCor = new CorrelatedRandom(c.Delay, _entropy.Next());
            _lossCor = new CorrelatedRandom(c.Loss, _entropy.Next());
            _dupCor = new CorrelatedRandom(c.Duplicate, _entropy.Next());
        }
        if (s.Reorder is { } r)
        {
            _reorder = r.Probability;
            _reorderCor = new CorrelatedRandom(r.Correlation, _entropy.Next());
        }
        if (s.Corrupt is { } k)
        {
            _corrupt = k.Probability;
            _corruptCor = new CorrelatedRandom(k.Correlation, _entropy.Next());
        }
        if (s.Rate is { } rate)
        {
            _rate = rate.Rate;
            _packetOverhead = rate.PacketOverhead;
            _cellSize = rate.CellSize;
            _cellOverhead = rate.CellOverhead;
        }
        if (s.Rate64 is { } rate64) _rate = Math.Max(_rate, rate64);
        if (s.LatencyNs is { } latency) _latencyNs = latency;
        if (s.JitterNs is { } jitter) _jitterNs = jitter;
        if (s.Ecn is { } ecn) _ecn = ecn;
        if (s.Slot is { } slot) ConfigureSlot(slot);
        // tabledist() takes a 32-bit jitter.
        _jitterNs = _jitterNs == long.MinValue ? int.MaxValue : Math.Min(Math.Abs(_jitterNs), int.MaxValue);
    }

    /// <summary>
    /// get_slot(). The kernel opens the first slot "now" (the time of the change), which every later packet finds
    /// already past, so the first packet waits for a fresh slot; the change has no clock here, so the first slot
    /// is placed in the distant past to the same effect.
    /// </summary>
    private void ConfigureSlot(NetemSlotSpec slot)
    {
        long distJitter = Math.Min(int.MaxValue, slot.DistJitterNs == long.MinValue ? long.MaxValue : Math.Abs(slot.DistJitterNs));
        _slotConfig = slot with
        {
            MaxPackets = slot.MaxPackets == 0 ? int.MaxValue : slot.MaxPackets,
            MaxBytes = slot.MaxBytes == 0 ? int.MaxValue : slot.MaxBytes,
            DistJitterNs = distJitter,
        };
        _slotPacketsLeft = _slotConfig.MaxPackets;
        _slotBytesLeft = _slotConfig.MaxBytes;
        _slotOn = (_slotConfig.MinDelayNs | _slotConfig.MaxDelayNs | _slotConfig.DistJitterNs) != 0;
        _slotNext = long.MinValue;
    }

    private void ReseedGenerators(ulong seed)
    {
        _seed = seed;
        _prng = PrandomState.FromSeed(seed);
        // The stand-in for the kernel's entropy pool: another stream, derived from the seed.
        _entropy = PrandomState.FromSeed(seed ^ 0x9E37_79B9_7F4A_7C15UL);
        _entropy.Warmup();
    }

    private static ulong NewRandomSeed()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    /// <summary>
    /// check_netem_in_tree() (Linux 6.1.y stable): a duplicating netem cannot share a device's tree with another
    /// netem, since duplicates re-enter at the root and could multiply without bound.
    /// </summary>
    private void CheckDuplicationInTree(bool duplicates)
    {
        var seen = new HashSet<Qdisc>(ReferenceEqualityComparer.Instance);
        Qdisc top = this;
        while (top.ParentQdisc is { } parent) top = parent;
        foreach (Qdisc? start in new[] { Context.Device.Root, top })
        {
            if (start is null) continue;
            foreach (Qdisc q in TreeOf(start, seen))
            {
                if (!ReferenceEquals(q, this) && q is NetemQdisc other && (duplicates || other._duplicate != 0))
                    throw TcException.Kernel("netem: cannot mix duplicating netems with other netems in tree.");
            }
        }
    }

    private static IEnumerable<Qdisc> TreeOf(Qdisc root, HashSet<Qdisc> seen)
    {
        var stack = new Stack<Qdisc>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            Qdisc q = stack.Pop();
            if (!seen.Add(q)) continue;
            yield return q;
            if (q is not ClassfulQdisc classful) continue;
            foreach (QdiscClass cl in classful.WalkClasses())
            {
                if (cl.Leaf is { } leaf) stack.Push(leaf);
            }
        }
    }

    /// <summary>netem_dump(): the options as the kernel reports them.</summary>
    public override QdiscSpec Dump()
    {
        bool wideRate = _rate >= 1UL << 32;
        return new NetemSpec
        {
            Limit = _limit,
            LatencyTicks = NetemTicks.NsToTicksClamped(_latencyNs),
            JitterTicks = NetemTicks.NsToTicksClamped(_jitterNs),
            Loss = _loss,
            Gap = _gap,
            Duplicate = _duplicate,
            LatencyNs = _latencyNs,
            JitterNs = _jitterNs,
            Correlation = new NetemCorrelationSpec(_delayCor.Rho, _lossCor.Rho, _dupCor.Rho),
            Reorder = new NetemReorderSpec(_reorder, _reorderCor.Rho),
            Corrupt = new NetemCorruptSpec(_corrupt, _corruptCor.Rho),
            Rate = new NetemRateSpec(wideRate ? uint.MaxValue : (uint)_rate, _packetOverhead, _cellSize, _cellOverhead),
            Rate64 = wideRate ? _rate : null,
            Ecn = _ecn != 0 ? _ecn : null,
            LossModel = _lossModel switch
            {
                LossModelKind.FourState => new NetemStateLossSpec(_clg.A1, _clg.A2, _clg.A3, _clg.A4, _clg.A5),
                LossModelKind.GilbertElliott => new NetemGilbertElliottSpec(_clg.A1, _clg.A2, _clg.A3, _clg.A4),
                _ => null,
            },
            Slot = _slotOn ? _slotConfig! with
            {
                MaxPackets = _slotConfig.MaxPackets == int.MaxValue ? 0 : _slotConfig.MaxPackets,
                MaxBytes = _slotConfig.MaxBytes == int.MaxValue ? 0 : _slotConfig.MaxBytes,
            } : null,
            // Linux 6.7+ always dumps a seed; tc 6.1 knows none, so only a configured seed is reported.
            Seed = _seedConfigured ? _seed : null,
        };
    }

    // ---- the class ----

    private NetemClass TheClass()
    {
        if (_class is null || _class.ClassId != (Handle | 1)) _class = new NetemClass(this);
        return _class;
    }

    /// <summary>netem_class_ops has no tcf_block: no filters can be attached to netem or its class.</summary>
    public override bool HasFilterBlocks => false;

    /// <summary>netem_find(): every classid under netem names its one class.</summary>
    public override QdiscClass? FindClass(uint classId) => TheClass();

    /// <summary>netem_walk() with netem_dump_class(): the class shows only while a child is attached.</summary>
    public override IEnumerable<QdiscClass> WalkClasses() => _child is null ? [] : [TheClass()];

    /// <summary>
    /// netem_graft() (qdisc_replace()): <paramref name="newLeaf"/> becomes the child, null detaches it. The old
    /// child's packets are dropped and its ancestors told. When there was no child (the kernel's NULL), an empty
    /// noqueue stands in as the "previous leaf", since the contract returns one.
    /// </summary>
    public override Qdisc Graft(QdiscClass cl, Qdisc? newLeaf)
    {
        Qdisc? old = _child;
        if (newLeaf is not null) newLeaf.ParentQdisc = this;
        _child = newLeaf;
        if (old is null) return new NoqueueQdisc(Context.For(0, cl.ClassId));
        old.PurgeQueue();
        old.ParentQdisc = null;
        return old;
    }

    public override void AssertInvariants()
    {
        base.AssertInvariants();
        _reorderQueue.AssertInvariants();
        _tfifo.AssertInvariants();
        int childQlen = _child?.QueueLength ?? 0;
        long childBacklog = _child?.BacklogBytes ?? 0;
        _child?.AssertInvariants();
        int peeked = Peeked is null ? 0 : 1;
        long peekedBytes = Peeked?.QdiscLength ?? 0;
        Debug.Assert(Stats.Qlen == _tfifo.Count + _reorderQueue.Count + childQlen + peeked,
            $"netem: qlen {Stats.Qlen} but {_tfifo.Count} timed + {_reorderQueue.Count} reordered + {childQlen} in child + {peeked} peeked");
        Debug.Assert(Stats.Backlog == _tfifo.Bytes + _reorderQueue.Bytes + childBacklog + peekedBytes,
            $"netem: backlog {Stats.Backlog} differs from what is held");
    }
}
