using Sched.Fast.Qdiscs;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Tests.Support;
using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Tc;

/// <summary>gen_estimator.c's EWMA in the kernel's fixed point, tc's parameter choice, and -s output.</summary>
public sealed class RateEstimatorTests
{
    [Theory]
    [InlineData(1_000_000u, 8_000_000u, 0, 3)]
    [InlineData(250_000u, 1_000_000u, -2, 2)]
    [InlineData(4_000_000u, 16_000_000u, 2, 2)]
    [InlineData(100_000u, 100_000_000u, -2, 9)]
    public void Tc_picks_the_kernels_interval_and_weight(uint intervalUs, uint constantUs, int interval, int ewmaLog)
    {
        // Values printed by "tc -r qdisc add ... estimator INTERVAL CONSTANT" (iproute2 6.1).
        EstimatorSpec? spec = EstimatorSpec.FromTimes(intervalUs, constantUs);
        Assert.Equal(new EstimatorSpec((sbyte)interval, (byte)ewmaLog), spec);
    }

    [Theory]
    [InlineData(10_000_000u, 8_000_000u)]
    [InlineData(1_000_000u, 100u)]
    public void Out_of_range_parameters_are_refused(uint intervalUs, uint constantUs) =>
        Assert.Null(EstimatorSpec.FromTimes(intervalUs, constantUs));

    [Fact]
    public void Samples_fold_in_with_the_kernels_fixed_point_arithmetic()
    {
        var stats = new QdiscStats();
        var est = new RateEstimator(0, 1); // one-second period, weight 1/2
        est.Start(stats, TimeNs.Zero);

        stats.Bytes = 1000;
        stats.Packets = 10;
        est.Update(stats, TimeNs.FromSeconds(1));
        Assert.Equal((500UL, 5UL), (est.BytesPerSecond, est.PacketsPerSecond));

        stats.Bytes = 2000;
        stats.Packets = 20;
        est.Update(stats, TimeNs.FromSeconds(2));
        Assert.Equal((750UL, 7UL), (est.BytesPerSecond, est.PacketsPerSecond));
    }

    [Fact]
    public void No_sample_is_taken_before_the_period_ends()
    {
        var stats = new QdiscStats();
        var est = new RateEstimator(-2, 1);
        est.Start(stats, TimeNs.Zero);
        stats.Bytes = 1000;
        est.Update(stats, TimeNs.FromMilliseconds(249));
        Assert.Equal(0UL, est.BytesPerSecond);
        est.Update(stats, TimeNs.FromMilliseconds(250));
        Assert.Equal(2000UL, est.BytesPerSecond); // 1000 bytes in 250 ms is 4000 B/s, half of it after one sample
    }

    [Fact]
    public void A_steady_rate_is_reached()
    {
        var stats = new QdiscStats();
        var est = new RateEstimator(-2, 2);
        est.Start(stats, TimeNs.Zero);
        for (int i = 1; i <= 200; i++)
        {
            stats.Bytes += 31_250; // 125 kB/s = 1 Mbit/s
            stats.Packets += 25;
            est.Update(stats, TimeNs.FromMilliseconds(250L * i));
        }
        Assert.InRange(est.BytesPerSecond, 124_000UL, 125_000UL);
        Assert.InRange(est.PacketsPerSecond, 99UL, 100UL);
    }

    [Fact]
    public void Tc_shows_the_estimated_rate_of_a_qdisc()
    {
        var clock = new ManualClock(TimeNs.FromSeconds(1));
        TcEngine tc = TcOffline.Create(clock);
        tc.Run(TcTokenizer.Split("qdisc add dev t0 root estimator 250ms 1s pfifo limit 10000"));
        Qdisc root = tc.Kernel.Devices.Find("t0")!.Root!;
        using var pool = new PacketPool(64);
        for (int ms = 10; ms <= 20_000; ms += 10)
        {
            // 1000-byte frames every 10 ms: 100 kB/s, 800 kbit/s, 100 pps.
            clock.AdvanceNs(10 * TimeNs.NsPerMs);
            root.Enqueue(TestFrames.Packet(pool, 1000), clock.Now);
            root.Dequeue(clock.Now)!.Free();
            tc.Kernel.TickEstimators(clock.Now);
        }

        string shown = tc.Run(TcTokenizer.Split("-s qdisc show dev t0")).Stdout;

        Assert.Equal(
            "qdisc pfifo 8001: root refcnt 2 limit 10000p\n" +
            " Sent 2000000 bytes 2000 pkt (dropped 0, overlimits 0 requeues 0) \n" +
            " rate 800Kbit 100pps backlog 0b 0p requeues 0\n", shown);
    }
}
