namespace Sched.Fast.Tc.Kernel;

/// <summary>
/// struct tc_estimator (TCA_RATE): the sampling interval as a power of two of 250 ms shifted by two (-2 is 250 ms,
/// 3 is 8 s) and the EWMA weight 2^-EwmaLog. tc computes them from "estimator INTERVAL TIME_CONSTANT".
/// </summary>
public sealed record EstimatorSpec(sbyte Interval, byte EwmaLog)
{
    /// <summary>
    /// tc/tc_core.c tc_setup_estimator(): the smallest interval of 250 ms &lt;&lt; n (n = 0..5) that covers
    /// <paramref name="intervalUs"/>, and the largest ewma_log whose time constant does not exceed
    /// <paramref name="timeConstantUs"/>. Null when out of range.
    /// </summary>
    public static EstimatorSpec? FromTimes(uint intervalUs, uint timeConstantUs)
    {
        int interval;
        for (interval = 0; interval <= 5; interval++)
        {
            if (intervalUs <= (1u << interval) * (1_000_000u / 4)) break;
        }
        if (interval > 5) return null;
        interval -= 2;
        int ewmaLog;
        for (ewmaLog = 1; ewmaLog < 32; ewmaLog++)
        {
            double w = 1.0 - 1.0 / (1L << ewmaLog);
            if (intervalUs / -Math.Log(w) > timeConstantUs) break;
        }
        ewmaLog--;
        if (ewmaLog == 0 || ewmaLog >= 31) return null;
        return new EstimatorSpec((sbyte)interval, (byte)ewmaLog);
    }
}
