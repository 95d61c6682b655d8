using System.Runtime.CompilerServices;
using Sched.Fast.Time;

namespace Sched.Fast.Aqm.Red;

/// <summary>
/// Random Early Detection (Floyd and Jacobson, 1993) as include/net/red.h codes it: the "divisionless" form of
/// Fig. 17 of the paper. The average queue length is a fixed-point EWMA (point at Wlog):
/// qavg = qavg*(1-W) + backlog*W with W = 2^-Wlog. Below min_th packets pass; at or above max_th they are marked
/// (dropped); between, with probability max_P*(qavg-min_th)/(max_th-min_th), spread out by counting packets since
/// the last mark against a random threshold. Time is passed in; randomness comes from the caller's
/// <see cref="AqmRandom"/>.
/// </summary>
public static class RedAlgorithm
{
    /// <summary>1% in Q0.32 (RED_ONE_PERCENT), and Adaptive RED's bounds on max_P.</summary>
    public const uint OnePercent = 42949673; // DIV_ROUND_CLOSEST(1ULL<<32, 100)
    public const uint MaxPMin = OnePercent;
    public const uint MaxPMax = 50 * OnePercent;

    /// <summary>red_check_params(): thresholds that fit 32 bits once shifted, a sane cell log and stab table.</summary>
    public static bool CheckParams(uint qthMin, uint qthMax, byte wlog, byte scellLog, ReadOnlySpan<byte> stab)
    {
        if (ReciprocalValue.Fls(qthMin) + wlog >= 32) return false;
        if (ReciprocalValue.Fls(qthMax) + wlog >= 32) return false;
        if (scellLog >= 32) return false;
        if (qthMax < qthMin) return false;
        foreach (byte b in stab)
        {
            if (b >= 32) return false;
        }
        return true;
    }

    /// <summary>red_maxp(): the max_P a Plog implies when none is given, (2^-Plog) in Q0.32.</summary>
    public static uint MaxPFromPlog(byte plog) => plog < 32 ? ~0U >> plog : ~0U;

    /// <summary>red_set_parms(). <paramref name="maxP"/> 0 means "derive it from Plog".</summary>
    public static void SetParms(RedParams p, uint qthMin, uint qthMax, byte wlog, byte plog, byte scellLog,
        ReadOnlySpan<byte> stab, uint maxP)
    {
        int delta = (int)(qthMax - qthMin);
        p.QthMin = qthMin << wlog;
        p.QthMax = qthMax << wlog;
        p.Wlog = wlog;
        p.Plog = plog;
        if (delta <= 0) delta = 1;
        p.QthDelta = (uint)delta;
        if (maxP == 0)
        {
            maxP = MaxPFromPlog(plog);
            maxP *= (uint)delta; // max_P = (qth_max - qth_min) / 2^Plog
        }
        p.MaxP = maxP;
        uint maxPDelta = Math.Max(maxP / (uint)delta, 1U);
        p.MaxPReciprocal = ReciprocalValue.Of(maxPDelta);

        // Adaptive RED's target band: [min_th + 0.4*(max_th - min_th), min_th + 0.6*(max_th - min_th)]
        delta /= 5;
        p.TargetMin = (uint)(qthMin + 2 * delta);
        p.TargetMax = (uint)(qthMin + 3 * delta);

        p.ScellLog = scellLog;
        p.ScellMax = 255U << scellLog;
        if (!stab.IsEmpty) stab[..RedParams.StabSize].CopyTo(p.Stab);
    }

    /// <summary>red_set_vars(): reset the average (it is bound to the parameters) and the draw counter.</summary>
    public static void SetVars(ref RedVars v)
    {
        v.QAvg = 0;
        v.QCount = -1;
    }

    public static bool IsIdling(in RedVars v) => v.QIdleStartNs != 0;

    /// <summary>red_start_of_idle_period().</summary>
    public static void StartOfIdlePeriod(ref RedVars v, TimeNs now) => v.QIdleStartNs = now.Value == 0 ? 1 : now.Value;

    /// <summary>red_end_of_idle_period().</summary>
    public static void EndOfIdlePeriod(ref RedVars v) => v.QIdleStartNs = 0;

    /// <summary>red_restart().</summary>
    public static void Restart(ref RedVars v)
    {
        EndOfIdlePeriod(ref v);
        v.QAvg = 0;
        v.QCount = -1;
    }

    /// <summary>
    /// red_calc_qavg_from_idle_time(): decay the average over an idle period as if (idle / packet time) empty
    /// arrivals had happened: a shift from the stab table, or a linear approximation of (1-W)^m for short idles.
    /// </summary>
    public static ulong CalcQavgFromIdleTime(RedParams p, in RedVars v, TimeNs now)
    {
        long deltaUs = (now.Value - v.QIdleStartNs) / TimeNs.NsPerUs;
        long usIdle = Math.Min(deltaUs, p.ScellMax);
        int shift = p.Stab[(int)((usIdle >> p.ScellLog) & (RedParams.StabSize - 1))];
        if (shift != 0) return v.QAvg >> shift;
        // (1-W)^m ~= 1 - mW: the best answer to the table's coarse start
        ulong decay = (v.QAvg * (ulong)usIdle) >> p.ScellLog;
        return decay < (v.QAvg >> 1) ? v.QAvg - decay : v.QAvg >> 1;
    }

    /// <summary>red_calc_qavg_no_idle_time(): qavg*(1-W) + backlog*W in fixed point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CalcQavgNoIdleTime(RedParams p, in RedVars v, uint backlog) =>
        unchecked(v.QAvg + (backlog - (v.QAvg >> p.Wlog)));

    /// <summary>red_calc_qavg().</summary>
    public static ulong CalcQavg(RedParams p, in RedVars v, uint backlog, TimeNs now) =>
        IsIdling(v) ? CalcQavgFromIdleTime(p, v, now) : CalcQavgNoIdleTime(p, v, backlog);

    /// <summary>red_random(): a threshold uniform in [0, qth_delta / max_P).</summary>
    public static uint Random(RedParams p, ref AqmRandom rng) => p.MaxPReciprocal.Divide(rng.NextUInt32());

    /// <summary>
    /// red_mark_probability(): max_P*(qavg - qth_min)/(qth_max - qth_min) &lt; rnd/qcount, rearranged without
    /// division (qR is the random draw scaled by qth_delta/max_P).
    /// </summary>
    private static bool MarkProbability(RedParams p, in RedVars v, ulong qavg) =>
        !(unchecked(((qavg - p.QthMin) >> p.Wlog) * (ulong)(long)v.QCount) < v.QR);

    /// <summary>red_action(): what to do with a packet given the current average.</summary>
    public static RedAction Action(RedParams p, ref RedVars v, ulong qavg, ref AqmRandom rng)
    {
        if (qavg < p.QthMin)
        {
            v.QCount = -1;
            return RedAction.DontMark;
        }
        if (qavg >= p.QthMax)
        {
            v.QCount = -1;
            return RedAction.HardMark;
        }
        if (++v.QCount != 0)
        {
            if (MarkProbability(p, v, qavg))
            {
                v.QCount = 0;
                v.QR = Random(p, ref rng);
                return RedAction.ProbMark;
            }
        }
        else
        {
            v.QR = Random(p, ref rng);
        }
        return RedAction.DontMark;
    }

    /// <summary>red_adaptative_algo(): Adaptive RED's periodic max_P update (AIMD towards the target band).</summary>
    public static void AdaptativeAlgo(RedParams p, in RedVars v, TimeNs now)
    {
        ulong qavg = IsIdling(v) ? CalcQavgFromIdleTime(p, v, now) : v.QAvg;
        qavg >>= p.Wlog;
        if (qavg > p.TargetMax && p.MaxP <= MaxPMax)
            p.MaxP += Math.Min(MaxPMin, p.MaxP / 4); // maxp = maxp + alpha
        else if (qavg < p.TargetMin && p.MaxP >= MaxPMin)
            p.MaxP = p.MaxP / 10 * 9; // maxp = maxp * beta
        uint maxPDelta = (uint)((p.MaxP + p.QthDelta / 2) / p.QthDelta); // DIV_ROUND_CLOSEST
        p.MaxPReciprocal = ReciprocalValue.Of(Math.Max(maxPDelta, 1U));
    }
}
