using Sched.Fast.Actions;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tests.Classifiers.Support;

namespace Sched.Fast.Tests.Classifiers;

/// <summary>basic with ematch trees on packets (net/sched/cls_basic.c, ematch.c, em_cmp/u32/nbyte/meta.c).</summary>
public sealed class BasicEmatchTests : IDisposable
{
    private readonly PacketPool _pool = new(16);
    private readonly TcHarness _tc = new();

    public BasicEmatchTests() => Tc("qdisc add dev t0 root handle 1: htb");

    public void Dispose() => _pool.Dispose();

    private void Tc(string line)
    {
        TcResult r = _tc.Run(line);
        Assert.True(r.ExitCode == 0, $"tc {line}: {r.Stderr}");
    }

    private bool Matches(string expr, byte[] frame, uint mark = 0, uint priority = 0, ushort? vlanTag = null)
    {
        _tc.Run("filter del dev t0 parent 1:");
        Tc($"filter add dev t0 parent 1: protocol all prio 1 basic match '{expr}' classid 1:1");
        Packet p = FrameBuilder.Load(_pool, frame, mark, priority);
        if (vlanTag is { } tci)
        {
            p.Meta.VlanPresent = 1;
            p.Meta.VlanTci = tci;
            p.Meta.VlanProto = 0x8100;
        }
        var result = new ClassifyResult();
        int verdict = _tc.Qdisc("t0", 0x10000).Filters.Classify(p, ref result);
        p.Free();
        return verdict == TcAct.Ok && result.ClassId == 0x10001;
    }

    private static byte[] Udp(ushort dport = 2000, byte tos = 0, string src = "198.18.0.1") =>
        FrameBuilder.Ipv4(FrameBuilder.Ip(src), FrameBuilder.Ip("198.18.0.2"), 17, 1000, dport, tos);

    [Theory]
    [InlineData("cmp(u8 at 9 layer network eq 17)", true)]
    [InlineData("cmp(u8 at 9 layer network eq 6)", false)]
    [InlineData("cmp(u16 at 2 layer transport eq 2000)", true)]
    [InlineData("cmp(u16 at 2 layer transport gt 1999)", true)]
    [InlineData("cmp(u16 at 2 layer transport lt 2000)", false)]
    [InlineData("cmp(u16 at 12 layer link eq 0x0800)", true)]
    [InlineData("cmp(u16 at 12 layer link trans eq 0x0008)", true)]
    [InlineData("cmp(u32 at 12 layer network mask 0xffff0000 eq 0xc6120000)", true)]
    [InlineData("cmp(u32 at 4000 layer network eq 0)", false)]
    public void Cmp_compares_a_field_at_a_layer(string expr, bool expected) =>
        Assert.Equal(expected, Matches(expr, Udp()));

    [Theory]
    [InlineData("u32(u32 0xc6120001 0xffffffff at 12)", true)]
    [InlineData("u32(u16 0x07d0 0xffff at 22)", true)]
    [InlineData("u32(u8 0x11 0xff at 9)", true)]
    [InlineData("u32(u8 0x06 0xff at 9)", false)]
    public void U32_ematch_is_relative_to_the_network_header(string expr, bool expected) =>
        Assert.Equal(expected, Matches(expr, Udp()));

    [Theory]
    [InlineData("nbyte(\"\\x02\\x00\\x00\\x00\\x00\\x02\" at 0 layer link)", true)]
    [InlineData("nbyte(\"\\xc6\\x12\" at 12)", true)]
    [InlineData("nbyte(\"\\xc6\\x13\" at 12)", false)]
    public void Nbyte_finds_bytes_at_an_offset(string expr, bool expected) =>
        Assert.Equal(expected, Matches(expr, Udp()));

    [Fact]
    public void Meta_reads_packet_metadata()
    {
        Assert.True(Matches("meta(nf_mark eq 5)", Udp(), mark: 5));
        Assert.False(Matches("meta(nf_mark eq 5)", Udp(), mark: 6));
        // em_meta.c applies the shift first, then the mask.
        Assert.True(Matches("meta(nf_mark mask 0x0f shift 4 eq 3)", Udp(), mark: 0x3f));
        Assert.False(Matches("meta(nf_mark mask 0xf0 shift 4 eq 3)", Udp(), mark: 0x3f));
        Assert.True(Matches("meta(priority gt 3)", Udp(), priority: 4));
        Assert.True(Matches("meta(protocol eq 0x800)", Udp()));
        Assert.True(Matches("meta(pkt_len eq 60)", Udp()));
        Assert.True(Matches("meta(mac_len eq 14)", Udp()));
        // tc adopts types only when the right side is a meta id: a name must be on the left.
        Assert.True(Matches("meta(\"t0\" eq dev)", Udp()));
        Assert.False(Matches("meta(\"t1\" eq dev)", Udp()));
        Assert.Equal(2, _tc.Run("filter add dev t0 parent 1: protocol all prio 9 basic match 'meta(dev eq \"t0\")' classid 1:1").ExitCode);
        Assert.True(Matches("meta(dev eq 7)", Udp()));
        Assert.True(Matches("meta(vlan mask 0xfff eq 5)", Udp(), vlanTag: 0x2005));
        Assert.False(Matches("meta(vlan eq 5)", Udp()));
        // No route and no socket for a forwarded packet: those collectors fail, so the match fails.
        Assert.False(Matches("meta(rt_iif eq 0)", Udp()));
        Assert.False(Matches("meta(sk_rcvbuf eq 0)", Udp()));
    }

    [Theory]
    [InlineData("cmp(u8 at 9 eq 17) and cmp(u8 at 1 eq 0)", true)]
    [InlineData("cmp(u8 at 9 eq 6) or cmp(u8 at 1 eq 0)", true)]
    [InlineData("not cmp(u8 at 9 eq 17)", false)]
    [InlineData("cmp(u8 at 9 eq 6) and cmp(u8 at 1 eq 0) or cmp(u8 at 1 eq 0)", false)]
    [InlineData("(cmp(u8 at 9 eq 6) and cmp(u8 at 1 eq 0)) or cmp(u8 at 1 eq 0)", true)]
    [InlineData("not (cmp(u8 at 9 eq 6) or cmp(u8 at 1 eq 1))", true)]
    [InlineData("cmp(u8 at 9 eq 17) and not (not cmp(u8 at 1 eq 0))", true)]
    [InlineData("((cmp(u8 at 9 eq 17)))", true)]
    public void Relations_chain_right_to_left_without_precedence(string expr, bool expected) =>
        Assert.Equal(expected, Matches(expr, Udp()));

    [Fact]
    public void Basic_without_ematches_matches_everything_and_the_newest_filter_runs_first()
    {
        Tc("filter add dev t0 parent 1: protocol all prio 1 basic classid 1:1");
        Tc("filter add dev t0 parent 1: protocol all prio 1 basic classid 1:2");
        Packet p = FrameBuilder.Load(_pool, Udp());
        var r = new ClassifyResult();
        _tc.Qdisc("t0", 0x10000).Filters.Classify(p, ref r);
        p.Free();
        Assert.Equal(0x10002u, r.ClassId);
    }
}
