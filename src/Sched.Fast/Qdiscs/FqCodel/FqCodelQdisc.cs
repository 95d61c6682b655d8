using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sched.Fast.Aqm.Codel;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.FqCodel;

/// <summary>
/// fq_codel (net/sched/sch_fq_codel.c, RFC 8290). Packets are hashed on their 5-tuple into one of
/// <c>flows</c> queues (or put where skb->priority major:minor or the attached filters say). Each queue is a
/// CoDel-controlled FIFO. Queues with new arrivals go on the new list and are served first, round-robin with a DRR
/// quantum, then move to the old list, so sparse flows see almost no queueing delay next to bulk ones. When the
/// packet limit or memory limit is exceeded, up to drop_batch packets (half its backlog) are dropped from the head
/// of the fattest flow. Time is passed in; nothing is allocated per packet.
/// </summary>
public sealed class FqCodelQdisc : ClassfulQdisc
{
    public const uint DefaultLimit = 10 * 1024;
    public const uint DefaultFlows = 1024;
    public const uint DefaultMemoryLimit = 32 << 20; // CONFIG_X86_64
    public const uint DefaultDropBatch = 64;
    public const uint QuantumMax = 1 << 20; // FQ_CODEL_QUANTUM_MAX

    private FqCodelFlow[] _flows = [];
    private uint[] _backlogs = [];
    private uint _flowsCount = DefaultFlows;
    private uint _limit = DefaultLimit;
    private uint _quantum;
    private uint _dropBatchSize = DefaultDropBatch;
    private uint _memoryLimit = DefaultMemoryLimit;
    private CodelParams _params;
    private CodelStats _cstats;
    private uint _memoryUsage;
    private uint _dropOvermemory;
    private uint _dropOverlimit;
    private uint _newFlowCount;
    private int _newHead = -1, _newTail = -1, _oldHead = -1, _oldTail = -1;
    private TimeNs _lastNow;

    /// <summary>fq_codel_init(): defaults, then the options (flows fixed from here on), then the flow table.</summary>
    internal FqCodelQdisc(QdiscContext context, FqCodelSpec? spec) : base(context)
    {
        uint mtu = (uint)context.Device.PschedMtu;
        _quantum = mtu;
        _params = CodelParams.Default(mtu);
        _params.Ecn = true;
        if (spec is not null) Change(spec);
        _flows = new FqCodelFlow[_flowsCount];
        _backlogs = new uint[_flowsCount];
        for (int i = 0; i < _flows.Length; i++) _flows[i].NextFlow = -1;
    }

    public override string Kind => "fq_codel";

    public uint Limit => _limit;
    public uint FlowsCount => _flowsCount;
    public uint Quantum => _quantum;
    public CodelParams Parameters => _params;

    /// <summary>Bytes the queued packets pin (the kernel's memory_usage, from skb->truesize).</summary>
    public uint MemoryUsage => _memoryUsage;

    /// <summary>A flow's CoDel state (tests and diagnostics).</summary>
    public CodelVars FlowVars(int index) => _flows[index].Vars;

    /// <summary>A flow's backlog in bytes.</summary>
    public uint FlowBacklog(int index) => _backlogs[index];

    /// <summary>
    /// What a queued packet costs against memory_limit: the kernel charges skb->truesize; here a packet pins its
    /// whole pool slot (data area and metadata), whatever the frame length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint TrueSize(Packet p) => (uint)(p.Capacity + PacketMetadata.Size);

    /// <summary>
    /// fq_codel_classify(): 1-based flow index, or 0 to drop (with <paramref name="result"/> saying whether the
    /// drop counts: bypass, or stolen by an action).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Classify(Packet packet, out EnqueueResult result)
    {
        result = EnqueueResult.Success;
        uint prio = packet.Priority;
        if (TcHandle.Major(prio) == Handle && TcHandle.Minor(prio) - 1 < _flowsCount)
            return TcHandle.Minor(prio);
        if (!Filters.HasFilters)
            return FlowHash.Scale(FlowHash.Get(packet), _flowsCount) + 1;
        return FlowFilters.Classify(Filters, packet, _flowsCount, out result);
    }

    /// <summary>fq_codel_enqueue().</summary>
    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        _lastNow = now;
        uint flowId = Classify(packet, out EnqueueResult ret);
        if (flowId == 0)
        {
            if ((ret & EnqueueResult.Bypass) != 0) Stats.Drops++;
            packet.Free();
            return ret;
        }
        int idx = (int)flowId - 1;

        CodelAlgorithm.SetEnqueueTime(packet, now);
        ref FqCodelFlow flow = ref _flows[idx];
        packet.Next = null;
        if (flow.Head is null) flow.Head = packet; else flow.Tail!.Next = packet;
        flow.Tail = packet;
        uint len = (uint)packet.QdiscLength;
        _backlogs[idx] += len;
        Stats.Backlog += len;

        if (!flow.InList)
        {
            AppendNew(idx);
            _newFlowCount++;
            flow.Deficit = (int)_quantum;
        }
        _memoryUsage += TrueSize(packet);
        bool memoryLimited = _memoryUsage > _memoryLimit;
        if ((uint)++Stats.Qlen <= _limit && !memoryLimited) return EnqueueResult.Success;

        uint prevBacklog = Stats.Backlog;
        int prevQlen = Stats.Qlen;
        // fq_codel_drop() scans every flow for the fattest, so it drops a batch (half that flow's backlog, at
        // most drop_batch packets) to amortise the scan.
        int dropped = DropFattest(_dropBatchSize);
        prevQlen -= Stats.Qlen;
        prevBacklog -= Stats.Backlog;
        _dropOverlimit += (uint)prevQlen;
        if (memoryLimited) _dropOvermemory += (uint)prevQlen;

        // Packets were dropped: if one of them was from this flow, say congestion, and the parents will not count
        // this packet as queued.
        if (dropped == idx)
        {
            TreeReduceBacklog(prevQlen - 1, (int)(prevBacklog - len));
            return EnqueueResult.Congestion;
        }
        TreeReduceBacklog(prevQlen, (int)prevBacklog);
        return EnqueueResult.Success;
    }

    /// <summary>fq_codel_drop(): drop from the head of the flow with the largest backlog; returns its index.</summary>
    private int DropFattest(uint maxPackets)
    {
        uint maxBacklog = 0;
        int idx = 0;
        uint[] backlogs = _backlogs;
        for (int i = 0; i < backlogs.Length; i++)
        {
            if (backlogs[i] > maxBacklog)
            {
                maxBacklog = backlogs[i];
                idx = i;
            }
        }
        uint threshold = maxBacklog >> 1; // drop half of the fat flow's backlog
        ref FqCodelFlow flow = ref _flows[idx];
        uint len = 0, mem = 0, n = 0;
        do
        {
            Packet? p = flow.Head;
            if (p is null) break;
            flow.Head = p.Next;
            if (flow.Head is null) flow.Tail = null;
            p.Next = null;
            len += (uint)p.QdiscLength;
            mem += TrueSize(p);
            p.Free();
        } while (++n < maxPackets && len < threshold);

        flow.Vars.Count += n; // tell CoDel to signal harder too
        _backlogs[idx] -= len;
        _memoryUsage -= mem;
        Stats.Drops += n;
        Stats.Backlog -= len;
        Stats.Qlen -= (int)n;
        return idx;
    }

    /// <summary>fq_codel_dequeue(): new flows first, DRR within a list, CoDel on the chosen flow.</summary>
    protected override Packet? DequeueCore(TimeNs now)
    {
        _lastNow = now;
        while (true)
        {
            bool fromNew = _newHead >= 0;
            int idx = fromNew ? _newHead : _oldHead;
            if (idx < 0) return null;
            ref FqCodelFlow flow = ref _flows[idx];

            if (flow.Deficit <= 0)
            {
                flow.Deficit += (int)_quantum;
                PopHead(fromNew);
                AppendOld(idx);
                continue;
            }

            var queue = new FlowQueue(this, idx);
            Packet? p = CodelAlgorithm.Dequeue(ref queue, in _params, ref flow.Vars, ref _cstats, now);
            if (p is null)
            {
                // force a pass through the old flows to prevent starvation
                PopHead(fromNew);
                if (fromNew && _oldHead >= 0) AppendOld(idx);
                else flow.InList = false;
                continue;
            }
            Stats.CountSent(p.QdiscLength);
            flow.Deficit -= p.QdiscLength;
            if (_cstats.DropCount != 0)
            {
                TreeReduceBacklog((int)_cstats.DropCount, (int)_cstats.DropLength);
                _cstats.DropCount = 0;
                _cstats.DropLength = 0;
            }
            return p;
        }
    }

    private void AppendNew(int idx)
    {
        ref FqCodelFlow f = ref _flows[idx];
        f.InList = true;
        f.NextFlow = -1;
        if (_newTail >= 0) _flows[_newTail].NextFlow = idx; else _newHead = idx;
        _newTail = idx;
    }

    private void AppendOld(int idx)
    {
        ref FqCodelFlow f = ref _flows[idx];
        f.InList = true;
        f.NextFlow = -1;
        if (_oldTail >= 0) _flows[_oldTail].NextFlow = idx; else _oldHead = idx;
        _oldTail = idx;
    }

    private void PopHead(bool fromNew)
    {
        if (fromNew)
        {
            int idx = _newHead;
            _newHead = _flows[idx].NextFlow;
            if (_newHead < 0) _newTail = -1;
        }
        else
        {
            int idx = _oldHead;
            _oldHead = _flows[idx].NextFlow;
            if (_oldHead < 0) _oldTail = -1;
        }
    }

    protected override void ResetCore()
    {
        _newHead = _newTail = _oldHead = _oldTail = -1;
        for (int i = 0; i < _flows.Length; i++)
        {
            ref FqCodelFlow f = ref _flows[i];
            while (f.Head is { } p)
            {
                f.Head = p.Next;
                p.Next = null;
                p.Free();
            }
            f = default;
            f.NextFlow = -1;
        }
        Array.Clear(_backlogs);
        _memoryUsage = 0;
    }

    /// <summary>
    /// fq_codel_change(): flows only at creation; quantum at least 256 and at most 1 MiB; drop_batch at least 1;
    /// memory_limit at most 2 GiB. Then dequeue-and-drop down to the limits.
    /// </summary>
    public override void Change(QdiscSpec spec)
    {
        if (spec is not FqCodelSpec s) throw new ArgumentException("fq_codel expects fq_codel options", nameof(spec));
        if (s.Flows is { } flows && (_flows.Length != 0 || flows == 0 || flows > 65536))
            throw Einval();
        uint quantum = 0;
        if (s.Quantum is { } qv)
        {
            quantum = Math.Max(256U, qv);
            if (quantum > QuantumMax) throw TcException.Kernel("Invalid quantum");
        }

        if (s.Flows is { } f) _flowsCount = f;
        if (s.TargetUs is { } target) _params.Target = CodelTime.FromUs(target);
        if (s.CeThresholdUs is { } ce) _params.CeThreshold = CodelTime.FromUs(ce);
        if (s.CeThresholdSelector is { } sel) _params.CeThresholdSelector = sel;
        if (s.CeThresholdMask is { } mask) _params.CeThresholdMask = mask;
        if (s.IntervalUs is { } interval) _params.Interval = CodelTime.FromUs(interval);
        if (s.Limit is { } limit) _limit = limit;
        if (s.Ecn is { } ecn) _params.Ecn = ecn;
        if (quantum != 0) _quantum = quantum;
        if (s.DropBatch is { } batch) _dropBatchSize = Math.Max(1U, batch);
        if (s.MemoryLimit is { } memory) _memoryLimit = Math.Min(1U << 31, memory);

        while ((uint)Stats.Qlen > _limit || _memoryUsage > _memoryLimit)
        {
            Packet? p = DequeueCore(_lastNow);
            if (p is null) break;
            _cstats.DropLength += (uint)p.QdiscLength;
            p.Free();
            _cstats.DropCount++;
        }
        TreeReduceBacklog((int)_cstats.DropCount, (int)_cstats.DropLength);
        _cstats.DropCount = 0;
        _cstats.DropLength = 0;
    }

    /// <summary>-EINVAL without an extack message: tc prints the errno.</summary>
    private static TcException Einval() => TcException.Errno(Errno.EINVAL);

    public override QdiscSpec Dump()
    {
        bool ce = _params.CeThreshold != CodelTime.Disabled;
        return new FqCodelSpec(
            _limit,
            _flowsCount,
            _quantum,
            CodelTime.ToUs(_params.Target),
            CodelTime.ToUs(_params.Interval),
            _params.Ecn,
            ce ? CodelTime.ToUs(_params.CeThreshold) : null,
            ce ? _params.CeThresholdSelector : null,
            ce ? _params.CeThresholdMask : null,
            _memoryLimit,
            _dropBatchSize);
    }

    /// <summary>fq_codel_dump_stats(): counters and the lengths of the two lists.</summary>
    public override object? DumpXstats() => new FqCodelXstats(
        _cstats.MaxPacket,
        _dropOverlimit,
        _cstats.EcnMark,
        _newFlowCount,
        ListLength(_newHead),
        ListLength(_oldHead),
        _cstats.CeMark,
        _memoryUsage,
        _dropOvermemory);

    private uint ListLength(int head)
    {
        uint n = 0;
        for (int i = head; i >= 0; i = _flows[i].NextFlow) n++;
        return n;
    }

    // ---- classes: the active flows, for tc class show (fq_codel_walk / fq_codel_dump_class_stats) ----

    /// <summary>fq_codel_find(): flows cannot be addressed as classes (no leaf, no graft).</summary>
    public override QdiscClass? FindClass(uint classId) => null;

    public override IEnumerable<QdiscClass> WalkClasses()
    {
        for (int i = 0; i < _flows.Length; i++)
        {
            if (!_flows[i].InList) continue;
            yield return DumpFlow(i);
        }
    }

    private FqCodelClass DumpFlow(int i)
    {
        ref FqCodelFlow f = ref _flows[i];
        int qlen = 0;
        for (Packet? p = f.Head; p is not null; p = p.Next) qlen++;
        var x = new FqCodelClassXstats(
            f.Deficit,
            CodelTime.ToUs(f.Vars.Ldelay),
            f.Vars.Count,
            f.Vars.LastCount,
            f.Vars.Dropping,
            f.Vars.Dropping ? CodelTime.DeltaUs(f.Vars.DropNext, CodelTime.FromTime(_lastNow)) : 0);
        return new FqCodelClass(TcHandle.Make(Handle, (uint)i + 1), Handle, qlen, _backlogs[i], x);
    }

    public override Qdisc Graft(QdiscClass cl, Qdisc? newLeaf) =>
        throw TcException.Errno(Errno.EOPNOTSUPP);

    /// <summary>fq_codel never holds packets back: no watchdog, no leaves.</summary>
    public override TimeNs NextWakeup(TimeNs now) => TimeNs.Never;

    public override void AssertInvariants()
    {
        base.AssertInvariants();
        long n = 0, bytes = 0, mem = 0;
        for (int i = 0; i < _flows.Length; i++)
        {
            long flowBytes = 0;
            for (Packet? p = _flows[i].Head; p is not null; p = p.Next)
            {
                n++;
                flowBytes += p.QdiscLength;
                mem += TrueSize(p);
                if (p.Next is null) Debug.Assert(ReferenceEquals(p, _flows[i].Tail), "fq_codel: tail is not the last packet");
            }
            Debug.Assert(flowBytes == _backlogs[i], $"fq_codel: flow {i} backlog {_backlogs[i]} but {flowBytes} queued");
            Debug.Assert(_flows[i].Head is null || _flows[i].InList, $"fq_codel: flow {i} has packets but is on no list");
            bytes += flowBytes;
        }
        if (Peeked is { } pk)
        {
            n++;
            bytes += pk.QdiscLength;
        }
        Debug.Assert(n == Stats.Qlen, $"fq_codel: qlen {Stats.Qlen} but {n} queued");
        Debug.Assert(bytes == Stats.Backlog, $"fq_codel: backlog {Stats.Backlog} but {bytes} queued");
        Debug.Assert(mem == _memoryUsage, $"fq_codel: memory_usage {_memoryUsage} but {mem} pinned");
        Debug.Assert(ListLength(_newHead) + ListLength(_oldHead) == (uint)_flows.Count(f => f.InList),
            "fq_codel: list membership flags disagree with the lists");
        Debug.Assert(_cstats.DropCount == 0, "fq_codel: drops not reported to the ancestors");
    }

    /// <summary>The host side of codel_dequeue() for one flow: sch_fq_codel.c's dequeue_func and drop_func.</summary>
    private readonly struct FlowQueue(FqCodelQdisc q, int idx) : ICodelQueue
    {
        public uint Backlog => q.Stats.Backlog;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Packet? DequeueHead()
        {
            ref FqCodelFlow f = ref q._flows[idx];
            Packet? p = f.Head;
            if (p is null) return null;
            f.Head = p.Next;
            if (f.Head is null) f.Tail = null;
            p.Next = null;
            uint len = (uint)p.QdiscLength;
            q._backlogs[idx] -= len;
            q._memoryUsage -= TrueSize(p);
            q.Stats.Qlen--;
            q.Stats.Backlog -= len;
            return p;
        }

        public void Drop(Packet packet)
        {
            packet.Free();
            q.Stats.Drops++;
        }
    }
}
