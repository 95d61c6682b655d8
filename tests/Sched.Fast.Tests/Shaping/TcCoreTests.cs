using Sched.Fast.Shaping;

namespace Sched.Fast.Tests.Shaping;

/// <summary>tc's conversions, checked against values the kernel oracle printed (tc -r shows the raw ticks).</summary>
public sealed class TcCoreTests
{
    [Theory]
    [InlineData(12_500_000UL, 1600u, 0x7d0u)]      // htb rate 100mbit, default burst 1600
    [InlineData(3_750_000UL, 1600u, 0x1a00u)]      // htb rate 30mbit
    [InlineData(125UL, 1600u, 0x0bebc200u)]        // htb rate 1kbit
    [InlineData(1_250_000_000UL, 1601u, 0xfu)]     // htb rate 10gbit: rate/hz + mtu = 1601
    [InlineData(250_000UL, 1600u, 0x186a0u)]       // tbf peakrate 2mbit mtu 1600
    public void Xmit_time_matches_what_tc_sends(ulong rate, uint size, uint ticks) =>
        Assert.Equal(ticks, TcCore.CalcXmitTime(rate, size));

    [Theory]
    [InlineData(3_750_000UL, 0x1a00u, 1593u)]      // printed "burst 1593b"
    [InlineData(1_250_000_000UL, 0xfu, 0u)]        // printed "burst 0b"
    [InlineData(12_500_000UL, 0x7d0u, 1600u)]
    public void Xmit_size_rounds_down_as_tc_prints_it(ulong rate, uint ticks, uint size) =>
        Assert.Equal(size, TcCore.CalcXmitSize(rate, ticks));

    [Fact]
    public void Ticks_and_microseconds_convert_at_15_625_ticks_per_microsecond()
    {
        Assert.Equal(15_625u, TcCore.TimeToTicks(1000));
        Assert.Equal(163_840u, TcCore.TicksToTime(2_560_000));
        Assert.Equal(0u, TcCore.TicksToTime(15));
    }

    [Fact]
    public void Rate_table_picks_a_cell_log_that_covers_the_mtu_in_256_slots()
    {
        var table = new uint[256];
        TcRateSpec r = TcCore.CalcRateTable(new TcRateSpec(125_000, Mpu: 0), table, -1, 1600, LinkLayer.Ethernet);
        Assert.Equal(3, r.CellLog);
        Assert.Equal(-1, r.CellAlign);
        Assert.Equal(LinkLayer.Ethernet, r.LinkLayer);
        Assert.Equal(TcCore.CalcXmitTime(125_000, 8), table[0]);
        Assert.Equal(TcCore.CalcXmitTime(125_000, 2048), table[255]);
    }

    [Fact]
    public void Rate_table_for_atm_rounds_every_slot_up_to_whole_cells()
    {
        var table = new uint[256];
        TcRateSpec r = TcCore.CalcRateTable(new TcRateSpec(125_000), table, 0, 0, LinkLayer.Atm);
        Assert.Equal(LinkLayer.Atm, r.LinkLayer);
        Assert.Equal(TcCore.CalcXmitTime(125_000, 53), table[0]);   // 1 byte -> one cell
        Assert.Equal(TcCore.CalcXmitTime(125_000, 106), table[48]); // 49 bytes -> two cells
    }

    [Fact]
    public void Adjust_size_applies_mpu_then_cells() =>
        Assert.Equal(106u, TcCore.AdjustSize(20, 64, LinkLayer.Atm));

    [Fact]
    public void Double_to_uint_truncates_like_gcc_on_x86_64()
    {
        Assert.Equal(4u, TcCore.ToUInt32(4.99));
        Assert.Equal(705_032_704u, TcCore.ToUInt32(5e9)); // 5e9 mod 2^32
        Assert.Equal(0u, TcCore.ToUInt32(double.NaN));
    }
}
