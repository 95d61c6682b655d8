using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Htb;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tests.Qdiscs.Htb;

/// <summary>
/// htb's tc half end to end (parse, kernel half, dump, print), against what iproute2 6.1 printed on the oracle's
/// kernel: the text after "qdisc htb 1: root refcnt 2 " and after "class htb 1:10 parent 1:1 ".
/// </summary>
public sealed class HtbTcTextTests
{
    private readonly NetDevice _device = new("t0", 2);
    private static HtbKind Kind => HtbTestTree.Kind;

    private static string Print(Action<TcWriter> print, bool details = false, bool raw = false, bool json = false)
    {
        var w = new TcWriter(json, options: new TcPrintOptions { ShowDetails = details, ShowRaw = raw });
        if (json) w.OpenObject(null);
        print(w);
        if (json) w.CloseObject();
        return w.ToString();
    }

    private string QdiscText(string options, bool details = false, bool json = false)
    {
        HtbQdisc q = HtbTestTree.Create(_device, options);
        return Print(w => Kind.PrintOptions(w, q.Dump()), details, json: json);
    }

    private string ClassText(string options, bool details = false, bool raw = false)
    {
        HtbQdisc q = HtbTestTree.Create(_device, "default 20", "1: 1:1 rate 100mbit");
        HtbClass cl = HtbTestTree.AddClass(q, "1:1 1:10 " + options);
        return Print(w => Kind.PrintClassOptions(w, cl.Dump()), details, raw);
    }

    [Theory]
    [InlineData("default 20", false, "r2q 10 default 0x20 direct_packets_stat 0 direct_qlen 1000")]
    [InlineData("default 20", true, "r2q 10 default 0x20 direct_packets_stat 0 ver 3.17 direct_qlen 1000")]
    [InlineData("", true, "r2q 10 default 0 direct_packets_stat 0 ver 3.17 direct_qlen 1000")]
    [InlineData("default 0x10 r2q 0 debug 123", false, "r2q 1 default 0x10 direct_packets_stat 0 direct_qlen 1000")]
    [InlineData("r2q 5 direct_qlen 77", false, "r2q 5 default 0 direct_packets_stat 0 direct_qlen 77")]
    public void Qdisc_prints_like_tc(string options, bool details, string expected) =>
        Assert.Equal(expected, QdiscText(options, details));

    [Fact]
    public void Qdisc_prints_json_like_tc_j() => Assert.Equal(
        "{\"r2q\":10,\"default\":\"0x20\",\"direct_packets_stat\":0,\"ver\":\"3.17\",\"direct_qlen\":10}",
        QdiscText("default 20 direct_qlen 10", details: true, json: true));

    [Theory]
    [InlineData("rate 30mbit ceil 100mbit prio 1", "prio 1 rate 30Mbit ceil 100Mbit burst 1593b cburst 1600b ")]
    [InlineData("rate 10mbit ceil 50mbit burst 15k cburst 3000 quantum 1500 prio 7",
        "prio 7 rate 10Mbit ceil 50Mbit burst 15Kb cburst 3000b ")]
    [InlineData("rate 1kbit", "prio 0 rate 1Kbit ceil 1Kbit burst 1600b cburst 1600b ")]
    [InlineData("rate 10gbit", "prio 0 rate 10Gbit ceil 10Gbit burst 0b cburst 0b ")]
    [InlineData("rate 1mbit overhead 20 mpu 64 linklayer atm prio 9",
        "prio 7 rate 1Mbit overhead 20 ceil 1Mbit linklayer atm burst 1600b cburst 1600b ")]
    [InlineData("rate 1mbit ceil 0", "prio 0 rate 1Mbit ceil 1Mbit burst 1600b cburst 1600b ")]
    public void Class_prints_like_tc(string options, string expected) => Assert.Equal(expected, ClassText(options));

    [Theory]
    [InlineData("rate 30mbit ceil 100mbit prio 1",
        "prio 1 quantum 200000 rate 30Mbit ceil 100Mbit linklayer ethernet burst 1593b/1 mpu 0b cburst 1600b/1 mpu 0b level 0 ")]
    [InlineData("rate 10mbit ceil 50mbit burst 15k cburst 3000 quantum 1500 prio 7",
        "prio 7 quantum 1500 rate 10Mbit ceil 50Mbit linklayer ethernet burst 15Kb/1 mpu 0b cburst 3000b/1 mpu 0b level 0 ")]
    [InlineData("rate 1kbit",
        "prio 0 quantum 1000 rate 1Kbit ceil 1Kbit linklayer ethernet burst 1600b/1 mpu 0b cburst 1600b/1 mpu 0b level 0 ")]
    [InlineData("rate 1mbit overhead 20 mpu 64 linklayer atm prio 9",
        "prio 7 quantum 12500 rate 1Mbit overhead 20 ceil 1Mbit linklayer atm burst 1600b/1 mpu 64b cburst 1600b/1 mpu 64b level 0 ")]
    [InlineData("rate 5000000000000",
        "prio 0 quantum 200000 rate 5Tbit ceil 5Tbit linklayer ethernet burst 0b/1 mpu 0b cburst 0b/1 mpu 0b level 0 ")]
    [InlineData("rate 100mbit quantum 0",
        "prio 0 quantum 200000 rate 100Mbit ceil 100Mbit linklayer ethernet burst 1600b/1 mpu 0b cburst 1600b/1 mpu 0b level 0 ")]
    [InlineData("rate 1mbit mtu 9000",
        "prio 0 quantum 12500 rate 1Mbit ceil 1Mbit linklayer ethernet burst 9000b/1 mpu 0b cburst 9000b/1 mpu 0b level 0 ")]
    [InlineData("rate 1mbit burst 1 cburst 0",
        "prio 0 quantum 12500 rate 1Mbit ceil 1Mbit linklayer ethernet burst 1b/1 mpu 0b cburst 1600b/1 mpu 0b level 0 ")]
    public void Class_prints_details_like_tc_d(string options, string expected) =>
        Assert.Equal(expected, ClassText(options, details: true));

    [Theory]
    [InlineData("rate 30mbit ceil 100mbit prio 1",
        "prio 1 rate 30Mbit ceil 100Mbit burst 1593b cburst 1600b buffer [00001a00] cbuffer [000007d0] ")]
    [InlineData("rate 1kbit", "prio 0 rate 1Kbit ceil 1Kbit burst 1600b cburst 1600b buffer [0bebc200] cbuffer [0bebc200] ")]
    public void Class_prints_raw_ticks_like_tc_r(string options, string expected) =>
        Assert.Equal(expected, ClassText(options, raw: true));

    [Fact]
    public void Inner_classes_print_no_prio_and_their_level()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 100mbit overhead 4", "1:1 1:10 rate 30mbit ceil 100mbit prio 1 linklayer atm");
        Assert.Equal("rate 100Mbit overhead 4 ceil 100Mbit linklayer ethernet burst 1600b/1 mpu 0b cburst 1600b/1 mpu 0b level 7 ",
            Print(w => Kind.PrintClassOptions(w, HtbTestTree.Class(q, "1:1").Dump()), details: true));
        Assert.Equal("rate 100Mbit overhead 4 ceil 100Mbit burst 1600b cburst 1600b ",
            Print(w => Kind.PrintClassOptions(w, HtbTestTree.Class(q, "1:1").Dump())));
    }

    [Theory]
    [InlineData("rate 100mbit", " lended: 0 borrowed: 0 giants: 0\n tokens: 2000 ctokens: 2000\n")]
    [InlineData("rate 30mbit ceil 100mbit prio 1", " lended: 0 borrowed: 0 giants: 0\n tokens: 6656 ctokens: 2000\n")]
    [InlineData("rate 10mbit ceil 50mbit burst 15k cburst 3000", " lended: 0 borrowed: 0 giants: 0\n tokens: 192000 ctokens: 7500\n")]
    [InlineData("rate 1kbit", " lended: 0 borrowed: 0 giants: 0\n tokens: 200000000 ctokens: 200000000\n")]
    [InlineData("rate 10gbit", " lended: 0 borrowed: 0 giants: 0\n tokens: 15 ctokens: 15\n")]
    public void Class_xstats_print_like_tc_s(string options, string expected)
    {
        HtbQdisc q = HtbTestTree.Create(_device, "");
        HtbClass cl = HtbTestTree.AddClass(q, "1: 1:10 " + options);
        Assert.Equal(expected, Print(w => Kind.PrintClassXstats(w, cl.DumpXstats())));
    }

    [Theory]
    [InlineData("", "\"rate\" is required.")]
    [InlineData("rate 1mbit rate 2mbit", "Double \"rate\" spec")]
    [InlineData("rate 1mbit ceil 3mbit ceil 4mbit", "Double \"ceil\" spec")]
    [InlineData("rate 0", "\"rate\" is required.")]
    [InlineData("rate 1mbit foo", "What is \"foo\"?\n" + HtbKind.Usage)]
    [InlineData("rate 1mbit prio x", "Illegal \"prio\"\n" + HtbKind.Usage)]
    [InlineData("rate 1mbit burst 1k/3", "Illegal \"burst\"\n" + HtbKind.Usage)]
    [InlineData("rate 1mbit quantum -1", "Illegal \"quantum\"\n" + HtbKind.Usage)]
    [InlineData("rate 1mbit mpu 70000", "Illegal \"mpu\"\n" + HtbKind.Usage)]
    [InlineData("help", HtbKind.Usage)]
    public void Class_parse_errors_read_like_tc(string options, string message)
    {
        var e = Assert.Throws<TcException>(() => Kind.ParseClassOptions(TcArgs.Parse(options), TcParseContext.None));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Percent_rate_without_a_link_speed_reads_like_tc()
    {
        var ctx = new TcParseContext(_device);
        var e = Assert.Throws<TcException>(() => Kind.ParseClassOptions(TcArgs.Parse("rate 10%"), ctx));
        Assert.Equal("property \"speed\" in file /sys/class/net/t0/speed is currently unknown\n" +
                     "Failed to parse /sys/class/net/t0/speed\nIllegal \"rate\"\n" + HtbKind.Usage, e.Message);
    }

    [Theory]
    [InlineData("foo", "What is \"foo\"?\n" + HtbKind.Usage)]
    [InlineData("r2q x", "Illegal \"r2q\"\n" + HtbKind.Usage)]
    public void Qdisc_parse_errors_read_like_tc(string options, string message)
    {
        var e = Assert.Throws<TcException>(() => Kind.ParseOptions(TcArgs.Parse(options), TcParseContext.None));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Offload_needs_hardware_we_do_not_have()
    {
        var e = Assert.Throws<TcException>(() => HtbTestTree.Create(_device, "offload"));
        Assert.Equal("Error: hw-tc-offload ethtool feature flag must be on.", e.Message);
    }

    [Fact]
    public void Htb_has_no_change_operation()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "default 20");
        var e = Assert.Throws<TcException>(() => q.Change(new HtbSpec(5)));
        Assert.Equal("Error: Change operation not supported by specified qdisc.", e.Message);
    }
}
