using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using Sched.Fast.Aqm;
using Sched.Fast.Aqm.Red;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Sfq;

/// <summary>
/// sfq (net/sched/sch_sfq.c, McKenney's Stochastic Fairness Queueing with deficit round robin): packets hash
/// (perturbed flow hash &amp; (divisor-1)) to buckets, buckets map to at most <c>flows</c> slots, slots are served
/// round-robin with a byte quantum. A slot holds at most <c>depth</c> packets; over the total limit the longest
/// slot loses a packet (tail, or head with headdrop). Optionally each slot runs RED on its own backlog
/// (redflowlimit). The depth lists (dep[d]: slots with d packets) make "the longest slot" O(1).
/// Follows Linux 6.1.y as Debian 12 ships it (allot in plain bytes, limit/quantum/perturb validation).
/// The perturbation timer is evaluated lazily at the next enqueue or dequeue after it is due.
/// </summary>
public sealed class SfqQdisc : ClassfulQdisc
{
    public const int MaxDepth = 127;                     // SFQ_MAX_DEPTH: packets per flow
    public const int DefaultFlows = 128;                 // SFQ_DEFAULT_FLOWS
    public const int MaxFlows = 0x10000 - MaxDepth - 1;  // SFQ_MAX_FLOWS
    public const ushort EmptySlot = 0xFFFF;              // SFQ_EMPTY_SLOT
    public const uint DefaultDivisor = 1024;             // SFQ_DEFAULT_HASH_DIVISOR
    private const int Hz = 250;                          // Debian's CONFIG_HZ: perturb is kept in jiffies

    private int _limit = MaxDepth;
    private uint _divisor = DefaultDivisor;
    private bool _headdrop;
    private int _maxDepth = MaxDepth;
    private uint _perturbation;
    private int _curDepth;
    private RedFlags _flags;
    private readonly ushort[] _ht;
    private readonly SfqSlot[] _slots;
    private readonly RedParams? _redParms;
    private SfqRedStats _stats;
    private int _tail = -1;
    private readonly SfqHead[] _dep = new SfqHead[MaxDepth + 1];
    private int _maxFlows = DefaultFlows;
    private int _perturbPeriodSeconds;
    private uint _quantum;
    private AqmRandom _rng = AqmRandom.CreateSeeded();
    private TimeNs _nextPerturb = TimeNs.Never;

    /// <summary>sfq_init(): defaults, the options (validated whole), then the hash table and slots.</summary>
    internal SfqQdisc(QdiscContext context, SfqSpec? spec) : base(context)
    {
        for (int i = 0; i <= MaxDepth; i++)
        {
            _dep[i].Next = (ushort)(i + MaxFlows);
            _dep[i].Prev = (ushort)(i + MaxFlows);
        }
        _quantum = (uint)Math.Clamp(context.Device.PschedMtu, 256, 1 << 20);
        _perturbation = _rng.NextUInt32();
        if (spec is not null) _redParms = Configure(spec);

        _ht = new ushort[_divisor];
        Array.Fill(_ht, EmptySlot);
        _slots = new SfqSlot[_maxFlows];
        for (int i = 0; i < _maxFlows; i++) Link((ushort)i);
    }

    public override string Kind => "sfq";

    public int Limit => _limit;
    public uint Divisor => _divisor;
    public int MaxFlowsInUse => _maxFlows;
    public int Depth => _maxDepth;
    public uint Quantum => _quantum;

    /// <summary>The current perturbation key of the flow hash.</summary>
    public uint Perturbation => _perturbation;

    /// <summary>Re-seeds the generator behind the perturbation key and RED's draws (reproducible runs).</summary>
    public void Seed(ulong seed)
    {
        _rng = new AqmRandom(seed);
        _perturbation = _rng.NextUInt32();
    }

    /// <summary>
    /// sfq_change() as sfq_init() uses it (sfq has no change operation): validate everything, then commit.
    /// Returns the RED parameters when per-flow RED is configured.
    /// </summary>
    private RedParams? Configure(SfqSpec s)
    {
        if (s.Divisor != 0 && (!BitOperations.IsPow2(s.Divisor) || s.Divisor > 65536)) throw Einval();
        if ((int)s.Quantum < 0) throw TcException.Kernel("sch_sfq: invalid quantum");
        // Linux 6.1.y as Debian ships it also bounds the quantum from above (the oracle: 1048577 is refused).
        if (s.Quantum > 1u << 20) throw TcException.Kernel("sch_sfq: quantum too large");
        if (s.PerturbPeriod < 0 || s.PerturbPeriod > int.MaxValue / Hz)
            throw TcException.Kernel("sch_sfq: invalid perturb period");
        if (!RedAlgorithm.CheckParams(s.QthMin, s.QthMax, s.Wlog, s.ScellLog, default)) throw Einval();

        int limit = _limit, maxDepth = _maxDepth;
        uint divisor = _divisor, quantum = _quantum;
        long maxFlows = _maxFlows;
        // Linux 6.1.y as Debian ships it raises a tiny quantum to 256 bytes (the oracle: "quantum 1" shows
        // "quantum 256b"), so a flow's allot cannot take a packet-sized number of rounds to refill.
        if (s.Quantum != 0) quantum = Math.Max(s.Quantum, 256u);
        if (s.Flows != 0) maxFlows = Math.Min(s.Flows, MaxFlows);
        if (s.Divisor != 0)
        {
            divisor = s.Divisor;
            maxFlows = Math.Min(maxFlows, divisor);
        }
        if (s.Depth != 0) maxDepth = (int)Math.Min(s.Depth, MaxDepth);
        RedParams? red = null;
        if (s.QthMin != 0)
        {
            red = new RedParams();
            RedAlgorithm.SetParms(red, s.QthMin, s.QthMax, s.Wlog, s.Plog, s.ScellLog, default, s.MaxP);
        }
        if (s.Limit != 0)
        {
            limit = (int)Math.Min(s.Limit, (uint)(maxDepth * maxFlows));
            maxFlows = Math.Min(maxFlows, limit);
        }
        if (limit == 1) throw TcException.Kernel("sch_sfq: invalid limit");

        _limit = limit;
        _divisor = divisor;
        _headdrop = s.Headdrop;
        _maxDepth = maxDepth;
        _maxFlows = (int)maxFlows;
        _perturbPeriodSeconds = s.PerturbPeriod;
        _quantum = quantum;
        _flags = s.Flags;
        if (_perturbPeriodSeconds != 0) _perturbation = _rng.NextUInt32();
        return red;
    }

    private static TcException Einval() => TcException.Errno(Errno.EINVAL);

    // ---- the depth lists: dep[d] chains the slots holding d packets ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref SfqHead DepHead(ushort val) =>
        ref val < MaxFlows ? ref _slots[val].Dep : ref _dep[val - MaxFlows];

    /// <summary>sfq_link(): put slot x at the head of dep[its qlen].</summary>
    private void Link(ushort x)
    {
        ref SfqSlot slot = ref _slots[x];
        int qlen = slot.Qlen;
        ushort p = (ushort)(qlen + MaxFlows);
        ushort n = _dep[qlen].Next;
        slot.Dep.Next = n;
        slot.Dep.Prev = p;
        _dep[qlen].Next = x;
        DepHead(n).Prev = x;
    }

    private void Unlink(ushort x, out ushort n, out ushort p)
    {
        n = _slots[x].Dep.Next;
        p = _slots[x].Dep.Prev;
        DepHead(p).Next = n;
        DepHead(n).Prev = p;
    }

    /// <summary>sfq_dec(): one packet fewer; the maximum depth drops when x was alone at it.</summary>
    private void Dec(ushort x)
    {
        Unlink(x, out ushort n, out ushort p);
        int d = _slots[x].Qlen--;
        if (n == p && _curDepth == d) _curDepth--;
        Link(x);
    }

    /// <summary>sfq_inc().</summary>
    private void Inc(ushort x)
    {
        Unlink(x, out _, out _);
        int d = ++_slots[x].Qlen;
        if (_curDepth < d) _curDepth = d;
        Link(x);
    }

    // ---- classification ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Hash(Packet packet) => FlowHash.GetPerturbed(packet, _perturbation) & (_divisor - 1);

    /// <summary>sfq_classify(): 1-based bucket, or 0 to drop.</summary>
    private uint Classify(Packet packet, out EnqueueResult result)
    {
        result = EnqueueResult.Success;
        uint prio = packet.Priority;
        if (TcHandle.Major(prio) == Handle && TcHandle.Minor(prio) - 1 < _divisor) return TcHandle.Minor(prio);
        if (!Filters.HasFilters) return Hash(packet) + 1;
        return FlowFilters.Classify(Filters, packet, _divisor, out result);
    }

    // ---- data path ----

    /// <summary>sfq_drop(): drop one packet from the longest slot (tail, or head with headdrop).</summary>
    private uint DropFromLongest()
    {
        int d = _curDepth;
        ushort x;
        if (d > 1)
        {
            x = _dep[d].Next;
        }
        else if (d == 1)
        {
            // It is difficult to believe, but all the slots have length 1: drop the next one in the round.
            x = _slots[_tail].Next;
            ref SfqSlot s1 = ref _slots[x];
            if (s1.Next == x) _tail = -1; else _slots[_tail].Next = s1.Next;
            _ht[s1.Hash] = EmptySlot;
        }
        else
        {
            return 0;
        }
        ref SfqSlot slot = ref _slots[x];
        Packet p = (_headdrop ? slot.Queue.DequeueHead() : slot.Queue.DequeueTail())!;
        uint len = (uint)p.QdiscLength;
        slot.Backlog -= len;
        Dec(x);
        Stats.Qlen--;
        Stats.Backlog -= len;
        DropPacket(p);
        return len;
    }

    /// <summary>sfq_enqueue().</summary>
    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        MaybePerturb(now);
        uint hash = Classify(packet, out EnqueueResult ret);
        if (hash == 0)
        {
            if ((ret & EnqueueResult.Bypass) != 0) Stats.Drops++;
            packet.Free();
            return ret;
        }
        hash--;

        ushort x = _ht[hash];
        if (x == EmptySlot)
        {
            x = _dep[0].Next; // a free slot
            if (x >= MaxFlows) return DropPacket(packet);
            _ht[hash] = x;
            ref SfqSlot fresh = ref _slots[x];
            fresh.Hash = (ushort)hash;
            fresh.Backlog = 0;
            RedAlgorithm.SetVars(ref fresh.Vars);
        }
        else
        {
            ref SfqSlot busy = ref _slots[x];
            if (_redParms is { } red && RedDecides(red, ref busy, packet))
                return CongestionDrop(ref busy, packet);
            if (busy.Qlen >= _maxDepth) return CongestionDrop(ref busy, packet);
        }

        ref SfqSlot slot = ref _slots[x];
        uint len = (uint)packet.QdiscLength;
        Stats.Backlog += len;
        slot.Backlog += len;
        slot.Queue.EnqueueTail(packet);
        Inc(x);
        if (slot.Qlen == 1)
        {
            // A new flow goes to the end of the round: serving new flows first could freeze old ones.
            if (_tail < 0)
            {
                slot.Next = x;
            }
            else
            {
                slot.Next = _slots[_tail].Next;
                _slots[_tail].Next = x;
            }
            _tail = x;
            slot.Allot = (int)_quantum;
        }
        if (++Stats.Qlen <= _limit) return EnqueueResult.Success;

        int qlen = slot.Qlen;
        uint dropped = DropFromLongest();
        // Congestion notification only when the drop hit this flow.
        if (qlen != slot.Qlen)
        {
            TreeReduceBacklog(0, (int)(dropped - len));
            return EnqueueResult.Congestion;
        }
        TreeReduceBacklog(1, (int)dropped);
        return EnqueueResult.Success;
    }

    /// <summary>The per-flow RED of sfq_enqueue(): true when the packet must take the congestion-drop path.</summary>
    private bool RedDecides(RedParams red, ref SfqSlot slot, Packet packet)
    {
        slot.Vars.QAvg = RedAlgorithm.CalcQavgNoIdleTime(red, slot.Vars, slot.Backlog);
        switch (RedAlgorithm.Action(red, ref slot.Vars, slot.Vars.QAvg, ref _rng))
        {
            case RedAction.ProbMark:
                Stats.Overlimits++;
                if ((_flags & RedFlags.Ecn) != 0)
                {
                    // the slot holds at least one packet
                    if (_headdrop && Ecn.TrySetCe(slot.Queue.Head!))
                    {
                        _stats = _stats with { ProbMarkHead = _stats.ProbMarkHead + 1 };
                        return false;
                    }
                    if (Ecn.TrySetCe(packet))
                    {
                        _stats = _stats with { ProbMark = _stats.ProbMark + 1 };
                        return false;
                    }
                }
                _stats = _stats with { ProbDrop = _stats.ProbDrop + 1 };
                return true;
            case RedAction.HardMark:
                Stats.Overlimits++;
                if ((_flags & (RedFlags.Ecn | RedFlags.HardDrop)) == RedFlags.Ecn)
                {
                    if (_headdrop && Ecn.TrySetCe(slot.Queue.Head!))
                    {
                        _stats = _stats with { ForcedMarkHead = _stats.ForcedMarkHead + 1 };
                        return false;
                    }
                    if (Ecn.TrySetCe(packet))
                    {
                        _stats = _stats with { ForcedMark = _stats.ForcedMark + 1 };
                        return false;
                    }
                }
                _stats = _stats with { ForcedDrop = _stats.ForcedDrop + 1 };
                return true;
            default:
                return false;
        }
    }

    /// <summary>congestion_drop: the arrival is dropped, or with headdrop it replaces the slot's oldest packet.</summary>
    private EnqueueResult CongestionDrop(ref SfqSlot slot, Packet packet)
    {
        if (!_headdrop) return DropPacket(packet);
        Packet head = slot.Queue.DequeueHead()!;
        int delta = head.QdiscLength - packet.QdiscLength;
        Stats.Backlog -= (uint)delta;
        slot.Backlog -= (uint)delta;
        DropPacket(head);
        slot.Queue.EnqueueTail(packet);
        TreeReduceBacklog(0, delta);
        return EnqueueResult.Congestion;
    }

    /// <summary>sfq_dequeue(): the round-robin with per-slot byte allotments.</summary>
    protected override Packet? DequeueCore(TimeNs now)
    {
        MaybePerturb(now);
        return DequeueNext();
    }

    private Packet? DequeueNext()
    {
        if (_tail < 0) return null; // no active slots
        ushort a;
        while (true)
        {
            a = _slots[_tail].Next;
            ref SfqSlot s = ref _slots[a];
            if (s.Allot > 0) break;
            _tail = a;
            s.Allot += (int)_quantum;
        }
        ref SfqSlot slot = ref _slots[a];
        Packet p = slot.Queue.DequeueHead()!;
        Dec(a);
        uint len = (uint)p.QdiscLength;
        Stats.CountSent(p.QdiscLength);
        Stats.Qlen--;
        Stats.Backlog -= len;
        slot.Backlog -= len;
        if (slot.Qlen == 0)
        {
            _ht[slot.Hash] = EmptySlot;
            ushort nextA = slot.Next;
            if (a == nextA)
            {
                _tail = -1; // no more active slots
                return p;
            }
            _slots[_tail].Next = nextA;
        }
        else
        {
            slot.Allot -= (int)len;
        }
        return p;
    }

    /// <summary>sfq_reset(): dequeues and frees everything (the kernel's way, which counts those packets as sent).</summary>
    protected override void ResetCore()
    {
        while (DequeueNext() is { } p) p.Free();
    }

    // ---- perturbation ----

    /// <summary>sfq_perturbation(), run when its period has elapsed: a new key, and a rehash if flows are active.</summary>
    private void MaybePerturb(TimeNs now)
    {
        if (_perturbPeriodSeconds == 0) return;
        long period = _perturbPeriodSeconds * TimeNs.NsPerSecond;
        if (_nextPerturb.IsNever)
        {
            _nextPerturb = now + period; // the timer armed at configuration: the first time the qdisc sees the clock
            return;
        }
        if (now < _nextPerturb) return;
        while (_nextPerturb <= now) _nextPerturb += period;
        _perturbation = _rng.NextUInt32();
        if (!Filters.HasFilters && _tail >= 0) Rehash(now);
    }

    /// <summary>
    /// sfq_rehash(): take every queued packet out and put it back under the new key, keeping each old flow's order
    /// (packets of one flow stay together, so nothing is reordered within a flow). Counters other than the
    /// backlog are untouched; packets that no longer fit are dropped and reported upwards.
    /// </summary>
    private void Rehash(TimeNs now)
    {
        var list = new PacketQueue();
        for (int i = 0; i < _maxFlows; i++)
        {
            ref SfqSlot slot = ref _slots[i];
            if (slot.Qlen == 0) continue;
            while (slot.Qlen != 0)
            {
                Packet p = slot.Queue.DequeueHead()!;
                Dec((ushort)i);
                list.EnqueueTail(p);
            }
            slot.Backlog = 0;
            RedAlgorithm.SetVars(ref slot.Vars);
            _ht[slot.Hash] = EmptySlot;
        }
        _tail = -1;

        int dropped = 0;
        uint dropLen = 0;
        while (list.DequeueHead() is { } p)
        {
            uint hash = Hash(p);
            ushort x = _ht[hash];
            if (x == EmptySlot)
            {
                x = _dep[0].Next;
                if (x >= MaxFlows)
                {
                    Drop(p);
                    continue;
                }
                _ht[hash] = x;
                _slots[x].Hash = (ushort)hash;
            }
            ref SfqSlot slot = ref _slots[x];
            if (slot.Qlen >= _maxDepth)
            {
                Drop(p);
                continue;
            }
            slot.Queue.EnqueueTail(p);
            if (_redParms is { } red) slot.Vars.QAvg = RedAlgorithm.CalcQavg(red, slot.Vars, slot.Backlog, now);
            slot.Backlog += (uint)p.QdiscLength;
            Inc(x);
            if (slot.Qlen == 1)
            {
                if (_tail < 0)
                {
                    slot.Next = x;
                }
                else
                {
                    slot.Next = _slots[_tail].Next;
                    _slots[_tail].Next = x;
                }
                _tail = x;
                slot.Allot = (int)_quantum;
            }
        }
        Stats.Qlen -= dropped;
        TreeReduceBacklog(dropped, (int)dropLen);

        void Drop(Packet p)
        {
            Stats.Backlog -= (uint)p.QdiscLength;
            dropLen += (uint)p.QdiscLength;
            p.Free();
            dropped++;
        }
    }

    // ---- control path ----

    public override QdiscSpec Dump()
    {
        RedParams? p = _redParms;
        return new SfqSpec(
            Quantum: _quantum,
            PerturbPeriod: _perturbPeriodSeconds,
            Limit: (uint)_limit,
            Divisor: _divisor,
            Flows: (uint)_maxFlows,
            Depth: (uint)_maxDepth,
            Headdrop: _headdrop,
            QthMin: p?.QthMinBytes ?? 0,
            QthMax: p?.QthMaxBytes ?? 0,
            Wlog: p?.Wlog ?? 0,
            Plog: p?.Plog ?? 0,
            ScellLog: p?.ScellLog ?? 0,
            Flags: _flags,
            MaxP: p?.MaxP ?? 0,
            Stats: _stats);
    }

    /// <summary>sfq_find(): buckets cannot be addressed as classes (no leaf, no graft).</summary>
    public override QdiscClass? FindClass(uint classId) => null;

    /// <summary>sfq_walk(): the active buckets, with their slot's counters.</summary>
    public override IEnumerable<QdiscClass> WalkClasses()
    {
        for (int i = 0; i < _ht.Length; i++)
        {
            ushort idx = _ht[i];
            if (idx == EmptySlot) continue;
            SfqSlot slot = _slots[idx];
            yield return new SfqClass(TcHandle.Make(Handle, (uint)i + 1), Handle, slot.Qlen, slot.Backlog, slot.Allot);
        }
    }

    public override Qdisc Graft(QdiscClass cl, Qdisc? newLeaf) =>
        throw TcException.Errno(Errno.EOPNOTSUPP);

    /// <summary>sfq never holds packets back.</summary>
    public override TimeNs NextWakeup(TimeNs now) => TimeNs.Never;

    public override void AssertInvariants()
    {
        base.AssertInvariants();
        long n = 0, bytes = 0;
        int maxQlen = 0, active = 0;
        for (int i = 0; i < _maxFlows; i++)
        {
            ref SfqSlot s = ref _slots[i];
            s.Queue.AssertInvariants();
            Debug.Assert(s.Queue.Count == s.Qlen, $"sfq: slot {i} qlen {s.Qlen} but {s.Queue.Count} queued");
            Debug.Assert(s.Queue.Bytes == s.Backlog, $"sfq: slot {i} backlog {s.Backlog} but {s.Queue.Bytes} queued");
            Debug.Assert(s.Qlen <= _maxDepth, $"sfq: slot {i} deeper than depth");
            if (s.Qlen > 0)
            {
                active++;
                Debug.Assert(_ht[s.Hash] == i, $"sfq: slot {i} not in its bucket");
            }
            n += s.Qlen;
            bytes += s.Backlog;
            maxQlen = Math.Max(maxQlen, s.Qlen);
        }
        if (Peeked is { } pk)
        {
            n++;
            bytes += pk.QdiscLength;
        }
        Debug.Assert(n == Stats.Qlen, $"sfq: qlen {Stats.Qlen} but {n} queued");
        Debug.Assert(bytes == Stats.Backlog, $"sfq: backlog {Stats.Backlog} but {bytes} queued");
        Debug.Assert(maxQlen == _curDepth, $"sfq: cur_depth {_curDepth} but the longest slot holds {maxQlen}");
        int ring = 0;
        if (_tail >= 0)
        {
            int x = _tail;
            do
            {
                ring++;
                x = _slots[x].Next;
            } while (x != _tail && ring <= _maxFlows);
        }
        Debug.Assert(ring == active, $"sfq: {active} active slots but {ring} in the round");
    }
}
