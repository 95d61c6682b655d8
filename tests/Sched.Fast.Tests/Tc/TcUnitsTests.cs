using Sched.Fast.Tc;

namespace Sched.Fast.Tests.Tc;

/// <summary>iproute2's units: get_rate/get_size/get_time and their printers, values checked against tc 6.1.</summary>
public sealed class TcUnitsTests
{
    [Theory]
    [InlineData("8", 1UL)]
    [InlineData("1kbit", 125UL)]
    [InlineData("10mbit", 1_250_000UL)]
    [InlineData("1gbit", 125_000_000UL)]
    [InlineData("1tbit", 125_000_000_000UL)]
    [InlineData("1Kibit", 128UL)]
    [InlineData("1mibit", 131_072UL)]
    [InlineData("100bps", 100UL)]
    [InlineData("2kbps", 2_000UL)]
    [InlineData("3mbps", 3_000_000UL)]
    [InlineData("1gbps", 1_000_000_000UL)]
    [InlineData("1KiBps", 1024UL)]
    [InlineData("1.5mbit", 187_500UL)]
    [InlineData("10MBIT", 1_250_000UL)]
    public void Rates_parse_as_tc_does(string text, ulong bytesPerSecond)
    {
        Assert.True(TcUnits.TryParseRate(text, out ulong r));
        Assert.Equal(bytesPerSecond, r);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mbit")]
    [InlineData("10mbitx")]
    [InlineData("10 mbit")]
    [InlineData("10kb")]
    public void Bad_rates_are_refused(string text) => Assert.False(TcUnits.TryParseRate(text, out _));

    [Fact]
    public void A_32_bit_rate_refuses_what_does_not_fit() =>
        Assert.False(TcUnits.TryParseRate32("40gbit", out _));

    [Theory]
    [InlineData(125UL, false, "1Kbit")]
    [InlineData(1_250_000UL, false, "10Mbit")]
    [InlineData(125_000_000UL, false, "1Gbit")]
    [InlineData(100UL, false, "800bit")]
    [InlineData(1_234_567UL, false, "9876Kbit")]
    [InlineData(128UL, true, "1Kibit")]
    [InlineData(100UL, true, "800bit")]
    [InlineData(1_250_000UL, true, "9765Kibit")]
    public void Rates_print_as_tc_does(ulong bytesPerSecond, bool iec, string text) =>
        Assert.Equal(text, TcUnits.FormatRate(bytesPerSecond, iec));

    [Theory]
    [InlineData("100", 100u)]
    [InlineData("1k", 1024u)]
    [InlineData("64kb", 65536u)]
    [InlineData("1m", 1_048_576u)]
    [InlineData("2mb", 2_097_152u)]
    [InlineData("1g", 1_073_741_824u)]
    [InlineData("1kbit", 128u)]
    [InlineData("1mbit", 131_072u)]
    [InlineData("1.5k", 1536u)]
    [InlineData("10b", 10u)]
    public void Sizes_parse_as_tc_does(string text, uint bytes)
    {
        Assert.True(TcUnits.TryParseSize(text, out uint b));
        Assert.Equal(bytes, b);
    }

    [Theory]
    [InlineData("10q")]
    [InlineData("k")]
    [InlineData("4294967296")]
    [InlineData("-1")]
    public void Bad_sizes_are_refused(string text) => Assert.False(TcUnits.TryParseSize(text, out _));

    [Theory]
    [InlineData(1514u, "1514b")]
    [InlineData(1024u, "1Kb")]
    [InlineData(10240u, "10Kb")]
    [InlineData(10250u, "10Kb")]
    [InlineData(10260u, "10260b")]
    [InlineData(1_048_576u, "1Mb")]
    [InlineData(1_514_000u, "1514000b")]
    [InlineData(20480u, "20Kb")]
    public void Sizes_print_as_tc_does(uint bytes, string text) => Assert.Equal(text, TcUnits.FormatSize(bytes));

    [Theory]
    [InlineData("1s", 1_000_000u)]
    [InlineData("250ms", 250_000u)]
    [InlineData("100us", 100u)]
    [InlineData("100", 100u)]
    [InlineData("1.5ms", 1500u)]
    [InlineData("2secs", 2_000_000u)]
    public void Times_parse_in_microseconds(string text, uint us)
    {
        Assert.True(TcUnits.TryParseTimeUs(text, out uint t));
        Assert.Equal(us, t);
    }

    [Fact]
    public void A_negative_time_wraps_as_tcs_unchecked_store()
    {
        Assert.True(TcUnits.TryParseTimeUs("-1", out uint t));
        Assert.Equal(uint.MaxValue, t);
    }

    [Theory]
    [InlineData("5ms", 5_000_000L)]
    [InlineData("10ns", 10L)]
    [InlineData("1s", 1_000_000_000L)]
    [InlineData("3us", 3_000L)]
    public void Times_parse_in_nanoseconds(string text, long ns)
    {
        Assert.True(TcUnits.TryParseTimeNs(text, out long t));
        Assert.Equal(ns, t);
    }

    [Theory]
    [InlineData(1_000_000u, "1s")]
    [InlineData(50_000u, "50ms")]
    [InlineData(4_500u, "4.5ms")]
    [InlineData(800u, "800us")]
    [InlineData(1_234_567u, "1.23s")]
    public void Times_print_as_tc_does(uint us, string text) => Assert.Equal(text, TcUnits.FormatTimeUs(us));
}
