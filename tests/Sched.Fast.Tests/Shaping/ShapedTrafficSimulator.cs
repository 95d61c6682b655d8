using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Shaping;

/// <summary>
/// Drives a shaper in simulated time with greedy sources: each source keeps <c>backlog</c> packets queued (a
/// packet that leaves is replaced at once), the link takes whatever the qdisc releases, and the clock jumps to the
/// qdisc's <see cref="Qdisc.NextWakeup"/> whenever it holds packets back. Records, per source, the bytes that left
/// inside a measurement window and the departure times of the first and last of them, so a rate can be computed
/// either as bytes/window or from inter-departure times (exact even when only a few packets fit the window).
/// </summary>
public sealed class ShapedTrafficSimulator
{
    private readonly Qdisc _qdisc;
    private readonly ManualClock _clock;
    private readonly PacketPool _pool;
    private readonly Source[] _sources;

    public sealed class Source
    {
        public required int SizeBytes { get; init; }
        /// <summary>Sizes cycled through when set (mixed traffic); else every packet is <see cref="SizeBytes"/>.</summary>
        public int[]? SizeCycle { get; init; }
        /// <summary>skb->priority, which htb reads as a classid.</summary>
        public uint Priority { get; init; }
        public int Backlog { get; init; } = 32;
        /// <summary>When the source stops offering new packets (simulated ns from the start); long.MaxValue: never.</summary>
        public long StopAtNs { get; init; } = long.MaxValue;

        internal int Queued;
        internal int Next;
        public long WindowBytes;
        public long WindowPackets;
        public long FirstDepartureNs = -1;
        public long LastDepartureNs = -1;
        /// <summary>Bytes of the window's packets except the last one.</summary>
        public long BytesBeforeLast;
        /// <summary>Bytes of the window's packets except the first one.</summary>
        public long BytesAfterFirst;
        public long Drops;

        internal int NextSize()
        {
            if (SizeCycle is null) return SizeBytes;
            int s = SizeCycle[Next];
            Next = (Next + 1) % SizeCycle.Length;
            return s;
        }

        /// <summary>
        /// Bytes per second from departure times, for a shaper that makes a packet wait for its own tokens (tbf):
        /// the gap before each departure is that packet's time, so the first packet's bytes are left out.
        /// </summary>
        public double RateChargedBeforeSending => LastDepartureNs > FirstDepartureNs
            ? BytesAfterFirst * 1e9 / (LastDepartureNs - FirstDepartureNs) : 0;

        /// <summary>
        /// The same for a shaper that lets a packet go while its tokens are not negative and charges it afterwards
        /// (htb): the gap after each departure is that packet's time, so the last packet's bytes are left out.
        /// </summary>
        public double RateChargedAfterSending => LastDepartureNs > FirstDepartureNs
            ? BytesBeforeLast * 1e9 / (LastDepartureNs - FirstDepartureNs) : 0;
    }

    public ShapedTrafficSimulator(Qdisc qdisc, ManualClock clock, PacketPool pool, params Source[] sources)
    {
        _qdisc = qdisc;
        _clock = clock;
        _pool = pool;
        _sources = sources;
    }

    public long Dequeued { get; private set; }

    /// <summary>Runs until <paramref name="windowStartNs"/> + <paramref name="windowNs"/> of simulated time have passed.</summary>
    public void Run(long windowStartNs, long windowNs)
    {
        long t0 = _clock.Now.Value;
        long start = t0 + windowStartNs, end = start + windowNs;
        for (int i = 0; i < _sources.Length; i++) TopUp(i, t0);
        while (_clock.Now.Value < end)
        {
            Packet? p = _qdisc.Dequeue(_clock.Now);
            if (p is null)
            {
                TimeNs wake = _qdisc.NextWakeup(_clock.Now);
                if (wake.IsNever || wake <= _clock.Now)
                {
                    if (_qdisc.QueueLength == 0 && AllStopped(t0)) return;
                    _clock.AdvanceNs(1000);
                }
                else
                {
                    _clock.AdvanceTo(TimeNs.Min(wake, new TimeNs(end)));
                }
                continue;
            }
            Dequeued++;
            int src = (int)p.Meta.Cb[0];
            Source s = _sources[src];
            long now = _clock.Now.Value;
            if (now >= start && now < end)
            {
                if (s.FirstDepartureNs < 0) s.FirstDepartureNs = now;
                else
                {
                    s.BytesBeforeLast = s.WindowBytes;
                    s.BytesAfterFirst += p.QdiscLength;
                }
                s.LastDepartureNs = now;
                s.WindowBytes += p.QdiscLength;
                s.WindowPackets++;
            }
            s.Queued--;
            p.Free();
            TopUp(src, t0);
        }
    }

    private bool AllStopped(long t0)
    {
        foreach (Source s in _sources) if (_clock.Now.Value - t0 < s.StopAtNs) return false;
        return true;
    }

    private void TopUp(int index, long t0)
    {
        Source s = _sources[index];
        if (_clock.Now.Value - t0 >= s.StopAtNs) return;
        while (s.Queued < s.Backlog)
        {
            // Shapers look at lengths and metadata only: skip building frame bytes, millions of packets pass here.
            Packet p = _pool.Rent() ?? throw new InvalidOperationException("simulator pool exhausted");
            p.SetData(_pool.Headroom, s.NextSize());
            p.Priority = s.Priority;
            p.Meta.Cb[0] = (uint)index;
            EnqueueResult r = _qdisc.Enqueue(p, _clock.Now);
            if (r != EnqueueResult.Success)
            {
                s.Drops++;
                return;
            }
            s.Queued++;
        }
    }
}
