using Sched.Fast.Aqm;
using Sched.Fast.Aqm.Red;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Aqm;

/// <summary>include/net/red.h's arithmetic and tc_red.c's parameter helpers.</summary>
public sealed class RedAlgorithmTests
{
    [Fact]
    public void Reciprocal_divide_is_exact_division()
    {
        var rng = new Random(1);
        for (int i = 0; i < 100_000; i++)
        {
            uint d = (uint)rng.NextInt64(1, uint.MaxValue);
            if (i % 3 == 0) d = (uint)rng.Next(1, 1000);
            uint a = (uint)rng.NextInt64(0, uint.MaxValue + 1L);
            Assert.Equal(a / d, ReciprocalValue.Of(d).Divide(a));
        }
    }

    [Fact]
    public void Average_follows_the_fixed_point_ewma()
    {
        var p = new RedParams();
        RedAlgorithm.SetParms(p, 1000, 3000, wlog: 3, plog: 10, scellLog: 0, default, maxP: 0);
        var v = new RedVars();
        RedAlgorithm.SetVars(ref v);
        double w = 1.0 / 8, avg = 0;
        for (int k = 0; k < 100; k++)
        {
            v.QAvg = RedAlgorithm.CalcQavgNoIdleTime(p, v, 5000);
            avg = avg * (1 - w) + 5000 * w;
            Assert.InRange((double)(v.QAvg >> 3), avg - 2, avg + 1);
        }
    }

    [Fact]
    public void Below_min_passes_above_max_is_a_hard_mark()
    {
        var p = new RedParams();
        RedAlgorithm.SetParms(p, 10000, 30000, wlog: 0, plog: 20, scellLog: 0, default, TcRed.ProbabilityToMaxP(0.02));
        var v = new RedVars();
        RedAlgorithm.SetVars(ref v);
        var rng = new AqmRandom(7);
        Assert.Equal(RedAction.DontMark, RedAlgorithm.Action(p, ref v, 9999, ref rng));
        Assert.Equal(-1, v.QCount);
        Assert.Equal(RedAction.HardMark, RedAlgorithm.Action(p, ref v, 30000, ref rng));
        Assert.Equal(RedAction.DontMark, RedAlgorithm.Action(p, ref v, 20000, ref rng)); // the first in the band draws
        Assert.Equal(0, v.QCount);
    }

    [Fact]
    public void Marks_between_the_thresholds_are_spaced_uniformly_around_one_over_twice_pb()
    {
        // qth 10000..30000 bytes, max_P 2%, qavg 20000: p_b = 1%. The packet count between marks is uniform on
        // 1..qR/(qavg - min) with qR uniform below delta/max_P = 1e6, so its mean is 1e6 / (2 * 10000) + 0.5.
        var p = new RedParams();
        RedAlgorithm.SetParms(p, 10000, 30000, wlog: 0, plog: 20, scellLog: 0, default, TcRed.ProbabilityToMaxP(0.02));
        var v = new RedVars();
        RedAlgorithm.SetVars(ref v);
        var rng = new AqmRandom(12345);
        int marks = 0;
        const int packets = 2_000_000;
        for (int i = 0; i < packets; i++)
        {
            if (RedAlgorithm.Action(p, ref v, 20000, ref rng) == RedAction.ProbMark) marks++;
        }
        double meanGap = (double)packets / marks;
        Assert.InRange(meanGap, 50.5 * 0.98, 50.5 * 1.02);
    }

    [Fact]
    public void Idle_time_decays_the_average()
    {
        var p = new RedParams();
        byte[] stab = new byte[RedParams.StabSize];
        for (int i = 1; i < stab.Length; i++) stab[i] = (byte)Math.Min(31, i / 4);
        RedAlgorithm.SetParms(p, 1000, 3000, wlog: 2, plog: 10, scellLog: 4, stab, maxP: 0);
        var v = new RedVars { QAvg = 8000 };
        TimeNs start = new(5_000_000_000);
        RedAlgorithm.StartOfIdlePeriod(ref v, start);
        Assert.True(RedAlgorithm.IsIdling(v));
        // 160 us idle: stab[160 >> 4 = 10] = 2, so qavg >> 2
        Assert.Equal(2000ul, RedAlgorithm.CalcQavg(p, v, 0, start + 160_000));
        // 16 us: stab[1] = 0, linear: qavg - qavg * 16 >> 4 would pass half, so half
        Assert.Equal(4000ul, RedAlgorithm.CalcQavg(p, v, 0, start + 16_000));
        RedAlgorithm.EndOfIdlePeriod(ref v);
        Assert.False(RedAlgorithm.IsIdling(v));
    }

    [Fact]
    public void Check_params_refuses_what_the_kernel_refuses()
    {
        Assert.True(RedAlgorithm.CheckParams(0, 0, 0, 0, default));
        Assert.True(RedAlgorithm.CheckParams(3333, 10000, 2, 0, default));
        Assert.False(RedAlgorithm.CheckParams(10000, 3333, 2, 0, default));       // max < min
        Assert.False(RedAlgorithm.CheckParams(1u << 20, 1u << 21, 11, 0, default)); // thresholds overflow once shifted
        Assert.False(RedAlgorithm.CheckParams(1, 2, 0, 32, default));
        Assert.False(RedAlgorithm.CheckParams(1, 2, 0, 0, new byte[] { 0, 32 }));
    }

    [Fact]
    public void Set_parms_derives_max_p_from_plog_when_none_is_given()
    {
        var p = new RedParams();
        RedAlgorithm.SetParms(p, 1000, 3000, wlog: 2, plog: 10, scellLog: 3, default, maxP: 0);
        Assert.Equal(unchecked((~0U >> 10) * 2000), p.MaxP);
        Assert.Equal(1000u << 2, p.QthMin);
        Assert.Equal(1000u, p.QthMinBytes);
        Assert.Equal(255u << 3, p.ScellMax);
        Assert.Equal(1000u + 2 * 400, p.TargetMin);
        Assert.Equal(1000u + 3 * 400, p.TargetMax);
    }

    [Fact]
    public void Adaptive_red_raises_max_p_above_the_target_band_and_lowers_it_below()
    {
        var p = new RedParams();
        RedAlgorithm.SetParms(p, 10000, 30000, wlog: 0, plog: 20, scellLog: 0, default, TcRed.ProbabilityToMaxP(0.05));
        uint start = p.MaxP;
        var high = new RedVars { QAvg = 25000 };
        RedAlgorithm.AdaptativeAlgo(p, high, TimeNs.Zero);
        Assert.Equal(start + RedAlgorithm.OnePercent, p.MaxP);
        var low = new RedVars { QAvg = 12000 };
        RedAlgorithm.AdaptativeAlgo(p, low, TimeNs.Zero);
        Assert.Equal((start + RedAlgorithm.OnePercent) / 10 * 9, p.MaxP);
    }

    [Theory]
    [InlineData(8000u, 60000u, 25u, 1000u, 6)] // sfq redflowlimit 100000 min 8000 max 60000 (oracle: ewma 6)
    [InlineData(3333u, 10000u, 5u, 1000u, 2)]  // sfq redflowlimit 40000 (oracle: ewma 2)
    [InlineData(3333u, 10000u, 100u, 1500u, 12)] // burst 100 avpkt 1500 (oracle: ewma 12)
    public void Ewma_weight_is_what_tc_computes(uint qmin, uint qmax, uint burst, uint avpkt, int wlog)
    {
        _ = qmax;
        Assert.Equal(wlog, TcRed.EvalEwma(qmin, burst, avpkt, out _));
    }

    [Fact]
    public void Ewma_refuses_a_burst_below_qmin_over_avpkt()
    {
        Assert.Equal(-1, TcRed.EvalEwma(3333, 1, 1000, out string? why));
        Assert.Equal("tc_red_eval_ewma() burst 1 is too small ? Try burst 4", why);
    }

    [Fact]
    public void Plog_and_max_p_follow_tc()
    {
        Assert.Equal(18, TcRed.EvalP(8000, 60000, 0.2));
        Assert.Equal(-1, TcRed.EvalP(6000, 6000, 0.2));
        Assert.Equal(858993459u, TcRed.ProbabilityToMaxP(0.2));
        Assert.Equal(0u, TcRed.ProbabilityToMaxP(1.0)); // 2^32 wraps as C's conversion does on x86-64
    }
}
