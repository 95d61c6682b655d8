using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs;

/// <summary>
/// A rate estimator, net/core/gen_estimator.c to the bit: every period (250 ms &lt;&lt; (interval + 2)) it
/// samples the byte and packet counters and folds the rate into an EWMA with weight 2^-ewma_log, in the kernel's
/// fixed point (averages scaled by 2^8, deltas shifted by 10 - intvl_log, unsigned arithmetic that wraps). Driven
/// by its owner thread's clock through <see cref="Update"/>, never by a timer of its own.
/// </summary>
public sealed class RateEstimator
{
    private readonly int _intervalLog; // tc_estimator.interval: -2..3 (250 ms .. 8 s)
    private readonly int _ewmaLog;
    private ulong _lastBytes;
    private ulong _lastPackets;
    private ulong _avBps;  // bytes per second << 8
    private ulong _avPps;  // packets per second << 8
    private long _nextNs;
    private bool _started;

    /// <param name="intervalLog">tc_estimator.interval: the period is 250 ms &lt;&lt; (intervalLog + 2); -2..3.</param>
    /// <param name="ewmaLog">tc_estimator.ewma_log: 1..30.</param>
    public RateEstimator(int intervalLog, int ewmaLog)
    {
        // gen_new_estimator(): the same bounds, -EINVAL otherwise.
        if (intervalLog < -2 || intervalLog > 3) throw new ArgumentOutOfRangeException(nameof(intervalLog));
        if (ewmaLog <= 0 || ewmaLog >= 31) throw new ArgumentOutOfRangeException(nameof(ewmaLog));
        _intervalLog = intervalLog;
        _ewmaLog = ewmaLog;
    }

    public int IntervalLog => _intervalLog;
    public int EwmaLog => _ewmaLog;

    /// <summary>The sampling period: 250 ms &lt;&lt; (interval + 2).</summary>
    public long IntervalNs => (TimeNs.NsPerSecond / 4) << (_intervalLog + 2);

    /// <summary>gen_estimator_read(): the average in bytes per second.</summary>
    public ulong BytesPerSecond => _avBps >> 8;

    /// <summary>gen_estimator_read(): the average in packets per second.</summary>
    public ulong PacketsPerSecond => _avPps >> 8;

    /// <summary>When the next sample is due (TimeNs.Never before <see cref="Start"/>).</summary>
    public TimeNs NextSample => _started ? new TimeNs(_nextNs) : TimeNs.Never;

    /// <summary>
    /// gen_new_estimator() / gen_replace_estimator(): take the counters as the first sample at
    /// <paramref name="now"/>; a replaced estimator hands its averages on.
    /// </summary>
    public void Start(QdiscStats stats, TimeNs now, RateEstimator? replaced = null)
    {
        _lastBytes = stats.Bytes;
        _lastPackets = stats.Packets;
        if (replaced is not null)
        {
            _avBps = replaced._avBps;
            _avPps = replaced._avPps;
        }
        _nextNs = now.Value + IntervalNs;
        _started = true;
    }

    /// <summary>
    /// est_timer(): when a sample is due by <paramref name="now"/>, fold the counters' growth since the last sample
    /// into the averages. Like the kernel's timer, a late call takes one sample and starts counting again from now.
    /// </summary>
    public void Update(QdiscStats stats, TimeNs now)
    {
        if (!_started)
        {
            Start(stats, now);
            return;
        }
        if (now.Value - _nextNs < 0) return;
        int shift = 10 - (_intervalLog + 2);
        unchecked
        {
            ulong brate = (stats.Bytes - _lastBytes) << shift;
            brate = (brate >> _ewmaLog) - (_avBps >> _ewmaLog);
            ulong prate = (stats.Packets - _lastPackets) << shift;
            prate = (prate >> _ewmaLog) - (_avPps >> _ewmaLog);
            _avBps += brate;
            _avPps += prate;
        }
        _lastBytes = stats.Bytes;
        _lastPackets = stats.Packets;
        _nextNs += IntervalNs;
        if (now.Value - _nextNs >= 0) _nextNs = now.Value + 1; // "Ouch... timer was delayed."
    }
}
