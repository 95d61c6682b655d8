using System.Diagnostics;
using Sched.Fast.Aqm.Codel;
using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Codel;

/// <summary>
/// codel (net/sched/sch_codel.c, RFC 8289): one FIFO whose head is controlled by the CoDel law at dequeue
/// (<see cref="CodelAlgorithm"/>); arrivals beyond the packet limit are dropped at the tail and counted as
/// drop_overlimit. Packets CoDel drops at dequeue were already counted by the ancestors, so they are reported
/// upwards with <see cref="Qdisc.TreeReduceBacklog"/> after each dequeue, as the kernel does.
/// </summary>
public sealed class CodelQdisc : Qdisc
{
    private PacketQueue _queue;
    private CodelParams _params;
    private CodelVars _vars;
    private CodelStats _cstats;
    private uint _limit = CodelKind.DefaultLimit;
    private uint _dropOverlimit;
    private TimeNs _lastNow;

    public CodelQdisc(QdiscContext context) : base(context) =>
        _params = CodelParams.Default((uint)context.Device.PschedMtu);

    public override string Kind => "codel";

    /// <summary>sch->limit, in packets.</summary>
    public uint Limit => _limit;

    /// <summary>The CoDel parameters in force (codel units).</summary>
    public CodelParams Parameters => _params;

    /// <summary>The CoDel state of the queue.</summary>
    public CodelVars Vars => _vars;

    /// <summary>codel_qdisc_enqueue(): tail drop beyond the limit, else stamp and queue.</summary>
    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        _lastNow = now;
        if ((uint)Stats.Qlen < _limit)
        {
            CodelAlgorithm.SetEnqueueTime(packet, now);
            _queue.EnqueueTail(packet);
            CountQueued(packet);
            return EnqueueResult.Success;
        }
        _dropOverlimit++;
        return DropPacket(packet);
    }

    /// <summary>codel_qdisc_dequeue().</summary>
    protected override Packet? DequeueCore(TimeNs now)
    {
        _lastNow = now;
        var queue = new Queue(this);
        Packet? p = CodelAlgorithm.Dequeue(ref queue, in _params, ref _vars, ref _cstats, now);
        if (_cstats.DropCount != 0)
        {
            // With qlen 0 the ancestors would deactivate this class although a packet is on its way up: count it
            // for the duration of the report, as sch_codel.c does.
            if (p is not null) Stats.Qlen++;
            TreeReduceBacklog((int)_cstats.DropCount, (int)_cstats.DropLength);
            if (p is not null) Stats.Qlen--;
            _cstats.DropCount = 0;
            _cstats.DropLength = 0;
        }
        if (p is not null) Stats.CountSent(p.QdiscLength);
        return p;
    }

    protected override void ResetCore()
    {
        _queue.Purge();
        _vars = default;
    }

    /// <summary>codel_change(): apply what is given, then drop from the head down to the (new) limit.</summary>
    public override void Change(QdiscSpec spec)
    {
        if (spec is not CodelSpec s) throw new ArgumentException("codel expects codel options", nameof(spec));
        if (s.TargetUs is { } target) _params.Target = CodelTime.FromUs(target);
        if (s.CeThresholdUs is { } ce) _params.CeThreshold = CodelTime.FromUs(ce);
        if (s.IntervalUs is { } interval) _params.Interval = CodelTime.FromUs(interval);
        if (s.Limit is { } limit) _limit = limit;
        if (s.Ecn is { } ecn) _params.Ecn = ecn;

        int dropped = 0, droppedBytes = 0;
        while ((uint)Stats.Qlen > _limit && _queue.DequeueHead() is { } p)
        {
            dropped++;
            droppedBytes += p.QdiscLength;
            Stats.Qlen--;
            Stats.Backlog -= (uint)p.QdiscLength;
            DropPacket(p);
        }
        TreeReduceBacklog(dropped, droppedBytes);
    }

    public override QdiscSpec Dump() => new CodelSpec(
        _limit,
        CodelTime.ToUs(_params.Target),
        CodelTime.ToUs(_params.Interval),
        _params.Ecn,
        _params.CeThreshold != CodelTime.Disabled ? CodelTime.ToUs(_params.CeThreshold) : null);

    /// <summary>
    /// codel_dump_stats(). drop_next is relative to "now"; the kernel reads the clock, this uses the time of the
    /// last enqueue or dequeue (the state only changes then).
    /// </summary>
    public override object? DumpXstats() => new CodelXstats(
        _cstats.MaxPacket,
        _vars.Count,
        _vars.LastCount,
        CodelTime.ToUs(_vars.Ldelay),
        _vars.Dropping ? CodelTime.DeltaUs(_vars.DropNext, CodelTime.FromTime(_lastNow)) : 0,
        _dropOverlimit,
        _cstats.EcnMark,
        _vars.Dropping,
        _cstats.CeMark);

    public override void AssertInvariants()
    {
        base.AssertInvariants();
        _queue.AssertInvariants();
        int peeked = Peeked is null ? 0 : 1;
        long peekedBytes = Peeked?.QdiscLength ?? 0;
        Debug.Assert(_queue.Count + peeked == Stats.Qlen, $"codel: qlen {Stats.Qlen} but {_queue.Count} queued");
        Debug.Assert(_queue.Bytes + peekedBytes == Stats.Backlog, $"codel: backlog {Stats.Backlog} but {_queue.Bytes} queued");
        Debug.Assert(_cstats.DropCount == 0, "codel: drops not reported to the ancestors");
    }

    /// <summary>The host side of codel_dequeue(): sch_codel.c's dequeue_func and drop_func.</summary>
    private readonly struct Queue(CodelQdisc q) : ICodelQueue
    {
        public uint Backlog => q.Stats.Backlog;

        public Packet? DequeueHead()
        {
            Packet? p = q._queue.DequeueHead();
            if (p is not null)
            {
                q.Stats.Qlen--;
                q.Stats.Backlog -= (uint)p.QdiscLength;
            }
            return p;
        }

        public void Drop(Packet packet)
        {
            packet.Free();
            q.Stats.Drops++;
        }
    }
}
