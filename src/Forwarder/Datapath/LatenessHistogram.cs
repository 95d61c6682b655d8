namespace Forwarder.Datapath;

/// <summary>
/// How late the datapath dequeued a qdisc after its watchdog deadline: a fixed histogram with 1 µs buckets up to
/// 4 ms and power-of-two buckets beyond, so recording allocates nothing and percentiles are exact to 1 µs where it
/// matters (a shaper loses rate when it is dequeued later than its burst's worth of time).
/// </summary>
public sealed class LatenessHistogram
{
    private const int LinearBuckets = 4096; // 1 µs each
    private const int LogBuckets = 32;      // [4 ms << k, 4 ms << (k+1))
    private readonly long[] _linear = new long[LinearBuckets];
    private readonly long[] _log = new long[LogBuckets];

    public long Count { get; private set; }

    public long MaxNs { get; private set; }

    public long SumNs { get; private set; }

    public void Record(long latenessNs)
    {
        if (latenessNs < 0) latenessNs = 0;
        long us = latenessNs / 1000;
        if (us < LinearBuckets) _linear[us]++;
        else _log[Math.Min(LogBuckets - 1, 63 - long.LeadingZeroCount(us / LinearBuckets))]++;
        Count++;
        SumNs += latenessNs;
        if (latenessNs > MaxNs) MaxNs = latenessNs;
    }

    public void Clear()
    {
        Array.Clear(_linear);
        Array.Clear(_log);
        Count = 0;
        MaxNs = 0;
        SumNs = 0;
    }

    /// <summary>Adds another histogram's counts (several schedulers into one report).</summary>
    public void Add(LatenessHistogram other)
    {
        for (int i = 0; i < LinearBuckets; i++) _linear[i] += other._linear[i];
        for (int i = 0; i < LogBuckets; i++) _log[i] += other._log[i];
        Count += other.Count;
        SumNs += other.SumNs;
        MaxNs = Math.Max(MaxNs, other.MaxNs);
    }

    /// <summary>The lateness at quantile <paramref name="q"/> (0..1), as the upper edge of its bucket, in ns.</summary>
    public long PercentileNs(double q)
    {
        if (Count == 0) return 0;
        long rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (int i = 0; i < LinearBuckets; i++)
        {
            seen += _linear[i];
            if (seen >= rank) return Math.Min(MaxNs, (i + 1) * 1000L);
        }
        for (int k = 0; k < LogBuckets; k++)
        {
            seen += _log[k];
            if (seen >= rank) return Math.Min(MaxNs, ((long)LinearBuckets << (k + 1)) * 1000L);
        }
        return MaxNs;
    }

    /// <summary>"N wake-ups, late p50 X µs, p99 Y µs, max Z µs".</summary>
    public string Describe() => Count == 0
        ? "no timed wake-ups"
        : FormattableString.Invariant(
            $"{Count} timed wake-ups, late p50 {PercentileNs(0.5) / 1000.0:0} us, p90 {PercentileNs(0.9) / 1000.0:0} us, p99 {PercentileNs(0.99) / 1000.0:0} us, max {MaxNs / 1000.0:0.0} us");
}
