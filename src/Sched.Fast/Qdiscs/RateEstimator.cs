using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs;

/// <summary>
/// A rate estimator (net/core/gen_estimator.c): every interval (2^interval_log / 4 s) it samples the byte and packet
/// counters and folds the rate into an EWMA with weight 2^-ewma_log. Driven by the owner thread's clock, never a
/// timer of its own.
/// </summary>
public sealed class RateEstimator
{
    private readonly int _intervalLog; // -2..3: 250 ms .. 8 s
    private readonly int _ewmaLog;
    private long _lastSampleNs;
    private ulong _lastBytes;
    private ulong _lastPackets;
    private double _avgBps;  // bytes per second
    private double _avgPps;
    private bool _started;

    /// <param name="intervalLog">gen_estimator's interval: the period is 2^intervalLog quarter-seconds... as tc's
    /// "estimator INTERVAL TIME_CONSTANT" encodes it (tc_estimator.interval, -2 means 250 ms).</param>
    /// <param name="ewmaLog">tc_estimator.ewma_log.</param>
    public RateEstimator(int intervalLog, int ewmaLog)
    {
        if (intervalLog < -2 || intervalLog > 3) throw new ArgumentOutOfRangeException(nameof(intervalLog));
        _intervalLog = intervalLog;
        _ewmaLog = ewmaLog;
    }

    public int IntervalLog => _intervalLog;
    public int EwmaLog => _ewmaLog;

    /// <summary>The sampling period: 250 ms &lt;&lt; (interval + 2).</summary>
    public long IntervalNs => (TimeNs.NsPerSecond / 4) << (_intervalLog + 2);

    public ulong BytesPerSecond => (ulong)_avgBps;
    public ulong PacketsPerSecond => (ulong)_avgPps;

    /// <summary>Takes the samples that are due by <paramref name="now"/>.</summary>
    public void Update(QdiscStats stats, TimeNs now)
    {
        if (!_started)
        {
            _started = true;
            _lastSampleNs = now.Value;
            _lastBytes = stats.Bytes;
            _lastPackets = stats.Packets;
            return;
        }
        long interval = IntervalNs;
        while (now.Value - _lastSampleNs >= interval)
        {
            double seconds = interval / 1e9;
            double bps = (stats.Bytes - _lastBytes) / seconds;
            double pps = (stats.Packets - _lastPackets) / seconds;
            double w = 1.0 / (1 << _ewmaLog);
            _avgBps += (bps - _avgBps) * w;
            _avgPps += (pps - _avgPps) * w;
            _lastBytes = stats.Bytes;
            _lastPackets = stats.Packets;
            _lastSampleNs += interval;
        }
    }
}
