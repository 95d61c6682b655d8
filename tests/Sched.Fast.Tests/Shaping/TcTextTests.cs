using Sched.Fast.Devices;
using Sched.Fast.Shaping;
using Sched.Fast.Tc;

namespace Sched.Fast.Tests.Shaping;

public sealed class TcTextTests
{
    [Theory]
    [InlineData("ethernet", LinkLayer.Ethernet)]
    [InlineData("eth", LinkLayer.Ethernet)]
    [InlineData("atm", LinkLayer.Atm)]
    [InlineData("adsl", LinkLayer.Atm)]
    [InlineData("a", LinkLayer.Atm)]
    public void Linklayer_names_are_matched_by_prefix(string text, LinkLayer expected)
    {
        Assert.True(LinkLayerText.TryParse(text, out LinkLayer l));
        Assert.Equal(expected, l);
    }

    [Fact]
    public void Unknown_linklayer_is_rejected() => Assert.False(LinkLayerText.TryParse("foo", out _));

    [Fact]
    public void Linklayers_print_as_tc_prints_them()
    {
        Assert.Equal("ethernet", LinkLayerText.Format(LinkLayer.Ethernet));
        Assert.Equal("atm", LinkLayerText.Format(LinkLayer.Atm));
        Assert.Equal("unspec", LinkLayerText.Format(LinkLayer.Unaware));
    }

    [Theory]
    [InlineData("10", 10u, true)]
    [InlineData("4294967295", uint.MaxValue, true)]
    [InlineData("4294967296", 0u, false)]
    [InlineData("-1", 0u, false)]
    [InlineData("1x", 0u, false)]
    [InlineData("", 0u, false)]
    public void U32_parses_like_get_u32(string text, uint expected, bool ok)
    {
        Assert.Equal(ok, CIntegers.TryParseU32(text, 10, out uint v));
        Assert.Equal(expected, v);
    }

    [Fact]
    public void Hex_u32_accepts_an_optional_0x()
    {
        Assert.True(CIntegers.TryParseU32("0x20", 16, out uint a));
        Assert.True(CIntegers.TryParseU32("20", 16, out uint b));
        Assert.Equal(0x20u, a);
        Assert.Equal(0x20u, b);
    }

    [Fact]
    public void U16_rejects_values_above_65535() => Assert.False(CIntegers.TryParseU16("70000", 10, out _));

    [Fact]
    public void Percent_rate_takes_a_share_of_the_link_speed()
    {
        var ctx = new TcParseContext(new NetDevice("t0", 2) { SpeedMbit = 10_000 });
        Assert.True(PercentRate.TryParse("10%", ctx, out ulong rate, out _));
        Assert.Equal(125_000_000UL, rate);
    }

    [Fact]
    public void Percent_rate_without_a_known_speed_says_what_tc_says()
    {
        var ctx = new TcParseContext(new NetDevice("t0", 2));
        Assert.False(PercentRate.TryParse("10%", ctx, out _, out string errors));
        Assert.Equal("property \"speed\" in file /sys/class/net/t0/speed is currently unknown\n" +
                     "Failed to parse /sys/class/net/t0/speed\n", errors);
    }

    [Fact]
    public void Percent_rate_above_100_is_refused()
    {
        var ctx = new TcParseContext(new NetDevice("t0", 2) { SpeedMbit = 1000 });
        Assert.False(PercentRate.TryParse("150%", ctx, out _, out string errors));
        Assert.Equal("Invalid rate specified; should be between [0,100]% but is 150%\n", errors);
    }
}
