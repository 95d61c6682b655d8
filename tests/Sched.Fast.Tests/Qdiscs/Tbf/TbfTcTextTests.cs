using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Tbf;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tests.Qdiscs.Tbf;

/// <summary>
/// tbf's tc half end to end: parse the options, create the qdisc (the kernel half), dump it and print the dump. The
/// expected text is what iproute2 6.1 printed on the oracle's kernel for the same command (the part after
/// "qdisc tbf 1: root refcnt 2 ").
/// </summary>
public sealed class TbfTcTextTests
{
    private static readonly TbfKind s_kind = new();

    private static QdiscSpec Dumped(string options)
    {
        QdiscSpec? spec = s_kind.ParseOptions(TcArgs.Parse(options), TcParseContext.None);
        var ctx = new QdiscContext(new NetDevice("t0", 2), 0x0001_0000, TcHandle.Root);
        return s_kind.Create(spec, ctx).Dump();
    }

    private static string Print(string options, bool details = false, bool raw = false, bool json = false)
    {
        var w = new TcWriter(json, options: new TcPrintOptions { ShowDetails = details, ShowRaw = raw });
        w.OpenObject(null);
        s_kind.PrintOptions(w, Dumped(options));
        w.CloseObject();
        return w.ToString();
    }

    [Theory]
    [InlineData("rate 10mbit burst 10kb latency 50ms", "rate 10Mbit burst 10Kb lat 50ms ")]
    [InlineData("rate 1mbit burst 20kb limit 30000 peakrate 2mbit mtu 1600",
        "rate 1Mbit burst 20Kb peakrate 2Mbit minburst 1600b lat 114ms ")]
    [InlineData("rate 800kbit burst 5000 latency 70ms overhead 10 mpu 64 linklayer atm",
        "rate 800Kbit burst 5564b lat 64.4ms overhead 10 linklayer atm ")]
    [InlineData("rate 40gbit burst 1mb latency 1ms", "rate 40Gbit burst 1045000b lat 1ms ")]
    [InlineData("rate 1mbit burst 1 limit 1000", "rate 1Mbit burst 1b lat 7.99ms ")]
    [InlineData("rate 256kbit burst 1600 latency 400ms", "rate 256Kbit burst 1600b lat 400ms ")]
    [InlineData("rate 100mbit burst 64kb latency 1s", "rate 100Mbit burst 64Kb lat 1s ")]
    [InlineData("rate 64kbit burst 3kb latency 2s peakrate 100kbit minburst 1540",
        "rate 64Kbit burst 3Kb peakrate 100Kbit minburst 1540b lat 2s ")]
    [InlineData("rate 1mbit maxburst 5kb limit 3k", "rate 1Mbit burst 5Kb limit 3Kb ")]
    public void Prints_like_tc(string options, string expected) => Assert.Equal(expected, Print(options));

    [Theory]
    [InlineData("rate 10mbit burst 10kb latency 50ms",
        "rate 10Mbit burst 10Kb/1 mpu 0b lat 50ms linklayer ethernet ")]
    [InlineData("rate 1mbit burst 20kb limit 30000 peakrate 2mbit mtu 1600",
        "rate 1Mbit burst 20Kb/1 mpu 0b peakrate 2Mbit mtu 1600b/1 mpu 0b lat 114ms linklayer ethernet ")]
    [InlineData("rate 800kbit burst 5000 latency 70ms overhead 10 mpu 64 linklayer atm",
        "rate 800Kbit burst 5564b/1 mpu 64b lat 64.4ms overhead 10 linklayer atm ")]
    [InlineData("rate 5gbit burst 100kb limit 100000 peakrate 8gbit mtu 9000",
        "rate 5Gbit burst 101875b/1 mpu 0b peakrate 8Gbit mtu 8000b/1 mpu 0b lat 92us linklayer ethernet ")]
    [InlineData("rate 1mbit burst 1000 limit 1000", "rate 1Mbit burst 1000b/1 mpu 0b lat 0us linklayer ethernet ")]
    [InlineData("rate 1mbit buffer 5kb/8 limit 3k", "rate 1Mbit burst 5Kb/1 mpu 0b limit 3Kb linklayer ethernet ")]
    public void Prints_details_like_tc_d(string options, string expected) =>
        Assert.Equal(expected, Print(options, details: true));

    [Theory]
    [InlineData("rate 10mbit burst 10kb latency 50ms", false,
        "rate 10Mbit burst 10Kb [0001f400] lat 50ms limit 72740b ")]
    [InlineData("rate 1mbit burst 20kb limit 30000 peakrate 2mbit mtu 1600", true,
        "rate 1Mbit burst 20Kb/1 mpu 0b [00271000] peakrate 2Mbit mtu 1600b/1 mpu 0b [000186a0] lat 114ms limit 30000b linklayer ethernet ")]
    public void Prints_raw_ticks_like_tc_r(string options, bool details, string expected) =>
        Assert.Equal(expected, Print(options, details, raw: true));

    [Theory]
    [InlineData("rate 10mbit burst 10kb latency 50ms", false, false,
        "{\"rate\":1250000,\"burst\":10240,\"lat\":50000}")]
    [InlineData("rate 1mbit burst 20kb limit 30000 peakrate 2mbit mtu 1600", true, false,
        "{\"rate\":125000,\"burst\":\"20Kb/1\",\"mpu\":0,\"mtu\":\"1600b/1\",\"mpu\":0,\"lat\":113600,\"linklayer\":\"ethernet\"}")]
    [InlineData("rate 40gbit burst 1mb latency 1ms", true, false,
        "{\"rate\":5000000000,\"burst\":\"1045000b/1\",\"mpu\":0,\"lat\":1000,\"linklayer\":\"ethernet\"}")]
    [InlineData("rate 1mbit burst 20kb limit 30000 peakrate 2mbit mtu 1600", false, false,
        "{\"rate\":125000,\"burst\":20480,\"minburst\":1600,\"lat\":113600}")]
    [InlineData("rate 1mbit burst 20kb limit 30000 peakrate 2mbit mtu 1600", false, true,
        "{\"rate\":125000,\"burst\":20480,\"burst_raw\":\"271000\",\"minburst\":1600,\"mtu_raw\":\"186a0\",\"lat\":113600,\"limit\":30000}")]
    public void Prints_json_like_tc_j(string options, bool details, bool raw, string expected) =>
        Assert.Equal(expected, Print(options, details, raw, json: true));

    [Fact]
    public void The_kernel_stores_the_buffer_from_the_burst_in_bytes_not_from_tc_ticks()
    {
        // tc computes ticks from the 32-bit rate (~0U at 40gbit); the kernel recomputes from TCA_TBF_BURST.
        var spec = (TbfSpec)Dumped("rate 40gbit burst 1mb latency 1ms");
        Assert.Equal(3276u, spec.BufferTicks);
        Assert.Equal(5_000_000_000UL, spec.Rate64);
        Assert.Equal(uint.MaxValue, spec.Rate.Rate);
        Assert.Null(spec.Burst);
    }

    [Theory]
    [InlineData("", "tbf: the \"rate\" parameter is mandatory.\ntbf: the \"burst\" parameter is mandatory.\n" +
                    "tbf: either \"limit\" or \"latency\" is required.\n" + TbfKind.Usage)]
    [InlineData("rate 1mbit", "tbf: the \"burst\" parameter is mandatory.\ntbf: either \"limit\" or \"latency\" is required.\n" + TbfKind.Usage)]
    [InlineData("rate 1mbit burst 10k latency 10ms peakrate 2mbit",
        "tbf: when \"peakrate\" is specified, \"mtu\" must also be specified.\n" + TbfKind.Usage)]
    [InlineData("rate 1mbit burst 10k latency 10ms limit 1000", "tbf: specifying both \"latency\" and \"limit\" is not allowed")]
    [InlineData("rate 1mbit burst 10k limit 1000 latency 10ms", "tbf: specifying both \"limit\" and \"/latency\" is not allowed")]
    [InlineData("rate 1mbit burst 10k limit 1000 foo", "tbf: unknown parameter \"foo\"\n" + TbfKind.Usage)]
    [InlineData("rate 1mbit burst 10k limit 1000 rate 2mbit", "tbf: duplicate \"rate\" specification")]
    [InlineData("rate 1mbit burst 10k limit 1000 burst 2", "tbf: duplicate \"buffer/burst/maxburst\" specification")]
    [InlineData("rate xyz burst 10k limit 1000", "tbf: illegal value for \"rate\": \"xyz\"")]
    [InlineData("rate 1mbit burst 10k/3 limit 1000", "tbf: illegal value for \"burst\": \"10k/3\"")]
    [InlineData("rate 1mbit burst 10x/8 limit 1000", "tbf: illegal value for \"burst\": \"10x\"")]
    [InlineData("rate 1mbit burst 0 limit 1000", "tbf: the \"burst\" parameter is mandatory.\n" + TbfKind.Usage)]
    [InlineData("rate 1mbit burst 100 limit 0", "tbf: either \"limit\" or \"latency\" is required.\n" + TbfKind.Usage)]
    [InlineData("rate 1mbit burst 10k limit 1000 linklayer foo", "tbf: illegal value for \"linklayer\": \"foo\"")]
    [InlineData("help", TbfKind.Usage)]
    public void Parse_errors_read_like_tc(string options, string message)
    {
        var e = Assert.Throws<TcException>(() => s_kind.ParseOptions(TcArgs.Parse(options), TcParseContext.None));
        Assert.Equal(message, e.Message);
        Assert.Equal(1, e.ExitCode);
    }

    [Fact]
    public void Incomplete_option_asks_for_help()
    {
        var e = Assert.Throws<TcException>(() => s_kind.ParseOptions(TcArgs.Parse("rate 1mbit burst"), TcParseContext.None));
        Assert.Equal(255, e.ExitCode);
    }

    [Fact]
    public void A_peak_rate_not_above_the_rate_is_an_invalid_argument()
    {
        var e = Assert.Throws<TcException>(() => Dumped("rate 1mbit burst 10k latency 10ms peakrate 1mbit mtu 1500"));
        Assert.Equal("RTNETLINK answers: Invalid argument", e.Message);
        Assert.Equal(2, e.ExitCode);
    }

    [Fact]
    public void Creating_without_options_is_an_invalid_argument()
    {
        var ctx = new QdiscContext(new NetDevice("t0", 2), 0x0001_0000, TcHandle.Root);
        Assert.Throws<TcException>(() => s_kind.Create(null, ctx));
    }
}
