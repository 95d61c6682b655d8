using System.Diagnostics;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs.Fifo;
using Sched.Fast.Shaping;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Tbf;

/// <summary>
/// The token bucket filter (net/sched/sch_tbf.c). A packet of length L may leave at time t only if the rate bucket
/// holds L/R of transmission time (depth: buffer) and, with a peak rate P, the peak bucket holds L/P (depth: mtu):
/// over any interval the bytes sent are at most B + R*(t_f - t_i). Packets wait in a child qdisc (a bfifo of
/// <c>limit</c> bytes unless another is grafted); the head is peeked, and when the buckets are short tbf counts an
/// overlimit and arms its watchdog for the moment they will hold enough. It never reorders.
/// </summary>
public sealed class TbfQdisc : ClassfulQdisc
{
    private readonly TbfClass _class;
    private Qdisc _child;
    private uint _limit;
    private uint _maxSize;
    private PschedRate _rate;
    private PschedRate _peak;
    private TokenBucket _bucket;     // tokens/buffer
    private TokenBucket _peakBucket; // ptokens/mtu
    private long _checkpointNs;      // t_c

    internal TbfQdisc(QdiscContext context, TbfSpec spec) : base(context)
    {
        _child = new NoopQdisc(context.For(0, TcHandle.Make(context.Handle, 1))) { ParentQdisc = this };
        _class = new TbfClass(this);
        Configure(spec);
    }

    public override string Kind => "tbf";

    /// <summary>The child qdisc (q->qdisc): bfifo by default, noop when there is none.</summary>
    public Qdisc Child => _child;

    /// <summary>The largest packet that can ever pass, in bytes (q->max_size); larger ones are dropped.</summary>
    public uint MaxSizeBytes => _maxSize;

    public long TokensNs => _bucket.TokensNs;
    public long PeakTokensNs => _peakBucket.TokensNs;
    private bool PeakPresent => !_peak.IsZero;

    // ---- data path ----

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        int len = packet.QdiscLength;
        // tbf_enqueue(): a packet that can never conform is dropped (GSO segmentation is not modelled: ports hand
        // over frames that are already segmented).
        if ((uint)len > _maxSize) return DropPacket(packet);
        EnqueueResult ret = _child.Enqueue(packet, now);
        if (ret != EnqueueResult.Success)
        {
            if (ret.CountsAsDrop()) Stats.Drops++;
            return ret;
        }
        Stats.Backlog += (uint)len;
        Stats.Qlen++;
        return EnqueueResult.Success;
    }

    protected override Packet? DequeueCore(TimeNs now)
    {
        Packet? p = _child.Peek(now);
        if (p is null) return null;

        // tbf_dequeue(): refill both buckets by the time since the checkpoint (capped at buffer), then charge.
        long nowNs = now.Value;
        long elapsed = Math.Min(nowNs - _checkpointNs, _bucket.DepthNs);
        uint len = (uint)p.QdiscLength;
        long ptoks = 0;
        if (PeakPresent) ptoks = _peakBucket.Refilled(elapsed) - (long)_peak.LengthToNs(len);
        long toks = _bucket.Refilled(elapsed) - (long)_rate.LengthToNs(len);

        if ((toks | ptoks) >= 0)
        {
            p = _child.Dequeue(now);
            if (p is null) return null;
            _checkpointNs = nowNs;
            _bucket.TokensNs = toks;
            _peakBucket.TokensNs = ptoks;
            CountDequeued(p);
            return p;
        }
        ScheduleWatchdog(now + Math.Max(-toks, -ptoks));
        Stats.Overlimits++;
        return null;
    }

    protected override void ResetCore()
    {
        _child.Reset();
        _bucket.Fill();
        _peakBucket.Fill();
    }

    /// <summary>The watchdog, or the child's wake-up when the child holds packets it is not ready to release.</summary>
    public override TimeNs NextWakeup(TimeNs now)
    {
        TimeNs t = Watchdog;
        if (_child.QueueLength > 0) t = TimeNs.Min(t, _child.NextWakeup(now));
        return t;
    }

    // ---- control path ----

    public override void Change(QdiscSpec spec) =>
        Configure(spec as TbfSpec ?? throw new ArgumentException("tbf expects tbf options", nameof(spec)));

    /// <summary>tbf_change(): validate everything, then apply; buckets restart full.</summary>
    private void Configure(TbfSpec s)
    {
        PschedRate rate = PschedRate.Precompute(s.Rate, s.Rate64);
        long bufferCapped = Math.Min(Psched.TicksToNs(s.BufferTicks), uint.MaxValue);
        long mtuCapped = Math.Min(Psched.TicksToNs(s.MtuTicks), uint.MaxValue);
        long buffer = Psched.TicksToNs(s.BufferTicks);
        long mtu = Psched.TicksToNs(s.MtuTicks);
        ulong maxSize;
        if (s.Burst is { } burst)
        {
            maxSize = burst;
            buffer = (long)rate.LengthToNs(burst);
        }
        else
        {
            maxSize = Math.Min(rate.NsToLength((ulong)bufferCapped), uint.MaxValue);
        }

        PschedRate peak = default;
        if (s.PeakRate.Rate != 0)
        {
            peak = PschedRate.Precompute(s.PeakRate, s.PeakRate64);
            // "sch_tbf: peakrate %llu is lower than or equals to rate %llu !" goes to the kernel log only.
            if (peak.RateBytesPerSecond <= rate.RateBytesPerSecond) throw InvalidArgument();
            if (s.PeakBurst is { } pburst)
            {
                maxSize = Math.Min((uint)maxSize, pburst);
                mtu = (long)peak.LengthToNs(pburst);
            }
            else
            {
                maxSize = Math.Min(maxSize, peak.NsToLength((ulong)mtuCapped));
            }
        }
        if (maxSize == 0) throw InvalidArgument();

        // The child: a fifo child gets the new limit (fifo_set_limit); with none yet, a bfifo of limit bytes.
        Qdisc? newChild = null;
        if (_child is not NoopQdisc)
        {
            if (_child is FifoQdisc fifo) fifo.Change(new FifoSpec(s.Limit));
        }
        else if (s.Limit > 0)
        {
            // fifo_create_dflt(): qdisc_create_dflt() (handle 0, hashed invisible), then fifo_set_limit().
            newChild = Context.CreateDefault("bfifo", 0, _class.ClassId);
            newChild.Change(new FifoSpec(s.Limit));
        }

        if (newChild is not null)
        {
            Qdisc old = _child;
            newChild.ParentQdisc = this;
            _child = newChild;
            old.PurgeQueue();
        }
        _limit = s.Limit;
        _maxSize = (uint)maxSize;
        _rate = rate;
        _peak = peak;
        _bucket = new TokenBucket(buffer);
        _peakBucket = new TokenBucket(mtu);
    }

    private static TcException InvalidArgument() => TcException.Errno(Errno.EINVAL);

    public override QdiscSpec Dump() => new TbfSpec(
        _limit,
        _rate.ToRateSpec(),
        PeakPresent ? _peak.ToRateSpec() : default,
        unchecked((uint)Psched.NsToTicks(_bucket.DepthNs)),
        unchecked((uint)Psched.NsToTicks(_peakBucket.DepthNs)),
        _rate.RateBytesPerSecond >= 1UL << 32 ? _rate.RateBytesPerSecond : 0,
        PeakPresent && _peak.RateBytesPerSecond >= 1UL << 32 ? _peak.RateBytesPerSecond : 0);

    // ---- classes (one, minor 1, holding the child) ----

    /// <summary>tbf_find() answers its one class for any classid.</summary>
    public override QdiscClass? FindClass(uint classId) => _class;

    public override IEnumerable<QdiscClass> WalkClasses()
    {
        yield return _class;
    }

    /// <summary>tbf_graft(): no new leaf means noop (tbf then drops everything).</summary>
    public override Qdisc Graft(QdiscClass cl, Qdisc? newLeaf)
    {
        newLeaf ??= new NoopQdisc(Context.For(0, _class.ClassId));
        return ReplaceLeaf(ref _child, newLeaf, _class.ClassId);
    }

    public override void AssertInvariants()
    {
        base.AssertInvariants();
        _child.AssertInvariants();
        // A peeked packet has left the child but still counts here (qdisc_peek_dequeued()).
        int extra = Stats.Qlen - _child.QueueLength;
        Debug.Assert(extra is 0 or 1, $"tbf: qlen {Stats.Qlen} but the child holds {_child.QueueLength}");
        if (extra == 0) Debug.Assert(Stats.Backlog == _child.BacklogBytes, "tbf: backlog differs from the child's");
        Debug.Assert(_bucket.TokensNs <= _bucket.DepthNs, "tbf: tokens above the buffer");
        Debug.Assert(!PeakPresent || _peakBucket.TokensNs <= _peakBucket.DepthNs, "tbf: peak tokens above mtu");
    }
}
