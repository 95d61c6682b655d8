using Sched.Fast.Shaping;

namespace Sched.Fast.Tests.Shaping;

public sealed class PschedRateTests
{
    [Fact]
    public void Precompute_picks_the_largest_shift_whose_multiplier_fits_31_bits()
    {
        // 10mbit = 1.25e6 B/s: 1e9/1.25e6 = 800 ns per byte; 800 << 22 is the first value with bit 31 set.
        PschedRate r = PschedRate.Precompute(new TcRateSpec(1_250_000), 0);
        Assert.Equal(22, r.Shift);
        Assert.Equal(800u << 22, r.Mult);
        Assert.Equal(8_192_000UL, r.LengthToNs(10_240));
    }

    [Fact]
    public void The_64_bit_rate_wins_when_larger_than_the_32_bit_field()
    {
        PschedRate r = PschedRate.Precompute(new TcRateSpec(uint.MaxValue), 5_000_000_000);
        Assert.Equal(5_000_000_000UL, r.RateBytesPerSecond);
        Assert.Equal(uint.MaxValue, r.ToRateSpec().Rate);
        // 1514 bytes at 40 Gbit/s: 302.8 ns, truncated.
        Assert.Equal(302UL, r.LengthToNs(1514));
    }

    [Theory]
    [InlineData(8_000UL, 64u)]          // 64 kbit
    [InlineData(125_000UL, 1514u)]      // 1 mbit
    [InlineData(1_250_000_000UL, 64u)]  // 10 gbit
    [InlineData(1_250_000_000UL, 1514u)]
    public void Length_to_time_is_within_one_part_in_a_billion_of_the_exact_quotient(ulong rate, uint len)
    {
        PschedRate r = PschedRate.Precompute(new TcRateSpec((uint)rate), 0);
        double exact = len * 1e9 / rate;
        double got = r.LengthToNs(len);
        Assert.InRange(got, exact - 1 - exact * 1e-9, exact);
    }

    [Fact]
    public void Overhead_and_mpu_are_added_before_the_atm_cell_rounding()
    {
        var spec = new TcRateSpec(125_000, Overhead: 10, Mpu: 64, LinkLayer: LinkLayer.Atm);
        PschedRate r = PschedRate.Precompute(spec, 0);
        // 40 + 10 = 50 bytes -> below mpu 64 -> 2 cells of 53 bytes = 106 bytes = 848 µs at 125000 B/s.
        Assert.Equal(848_000UL, r.LengthToNs(40));
        // 100 + 10 = 110 -> 3 cells = 159 bytes.
        Assert.Equal(1_272_000UL, r.LengthToNs(100));
    }

    [Fact]
    public void Time_to_length_removes_the_cell_tax_and_the_overhead()
    {
        var eth = PschedRate.Precompute(new TcRateSpec(1_250_000, Overhead: 24), 0);
        Assert.Equal(10_240UL - 24, eth.NsToLength(8_192_000));
        var atm = PschedRate.Precompute(new TcRateSpec(1_250_000, LinkLayer: LinkLayer.Atm), 0);
        Assert.Equal(10_240UL / 53 * 48, atm.NsToLength(8_192_000));
        Assert.Equal(0UL, eth.NsToLength(1_000)); // 1.25 bytes minus 24 of overhead
    }

    [Fact]
    public void Dumped_ratespec_keeps_overhead_mpu_and_linklayer_and_clears_the_cell_fields()
    {
        var spec = new TcRateSpec(125_000, 4, 64, LinkLayer.Atm, CellLog: 3, CellAlign: -1);
        TcRateSpec dumped = PschedRate.Precompute(spec, 0).ToRateSpec();
        Assert.Equal(new TcRateSpec(125_000, 4, 64, LinkLayer.Atm), dumped);
    }

    [Fact]
    public void A_zero_rate_has_multiplier_one_and_costs_nothing()
    {
        PschedRate r = PschedRate.Precompute(new TcRateSpec(0), 0);
        Assert.True(r.IsZero);
        Assert.Equal(1u, r.Mult);
        Assert.Equal(1500UL, r.LengthToNs(1500));
    }
}
