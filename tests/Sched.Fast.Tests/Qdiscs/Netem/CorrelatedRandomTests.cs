using Sched.Fast.Qdiscs.Netem;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>get_crandom(): the kernel's correlation formula, including its effect on the spread of the values.</summary>
public sealed class CorrelatedRandomTests
{
    [Fact]
    public void Without_correlation_values_come_straight_from_the_generator()
    {
        PrandomState a = PrandomState.FromSeed(5), b = PrandomState.FromSeed(5);
        var c = new CorrelatedRandom(0, 12345);
        for (int i = 0; i < 100; i++) Assert.Equal(b.Next(), c.Next(ref a));
    }

    [Fact]
    public void Each_value_is_the_weighted_mean_of_a_fresh_value_and_the_last()
    {
        PrandomState a = PrandomState.FromSeed(9), b = PrandomState.FromSeed(9);
        uint rho = (uint)(0.25 * uint.MaxValue);
        var c = new CorrelatedRandom(rho, 1_000_000_000);
        ulong last = 1_000_000_000;
        for (int i = 0; i < 1000; i++)
        {
            ulong u = b.Next();
            ulong w = (ulong)rho + 1;
            ulong expected = (u * ((1UL << 32) - w) + last * w) >> 32;
            uint got = c.Next(ref a);
            Assert.Equal(expected, got);
            last = got;
        }
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Correlation_keeps_the_mean_and_shrinks_the_spread_by_the_ar1_factor(double r)
    {
        PrandomState s = PrandomState.FromSeed(11);
        var c = new CorrelatedRandom((uint)Math.Round(r * uint.MaxValue), 1u << 31);
        const int n = 1_000_000;
        double sum = 0, sumSquares = 0;
        for (int i = 0; i < n; i++)
        {
            double x = c.Next(ref s) / 4294967296.0;
            sum += x;
            sumSquares += x * x;
        }
        double mean = sum / n;
        double sd = Math.Sqrt(sumSquares / n - mean * mean);
        Assert.InRange(mean, 0.5 * 0.99, 0.5 * 1.01);
        double expected = Math.Sqrt(1.0 / 12 * (1 - r) / (1 + r));
        Assert.InRange(sd, expected * 0.99, expected * 1.01);
    }
}
