using Sched.Fast.Actions;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tests.Classifiers.Support;

namespace Sched.Fast.Tests.Classifiers;

/// <summary>u32 classification (net/sched/cls_u32.c u32_classify()) on packets, configured through tc commands.</summary>
public sealed class U32ClassifierTests : IDisposable
{
    private readonly PacketPool _pool = new(64);
    private readonly TcHarness _tc = new();

    public void Dispose() => _pool.Dispose();

    private void Tc(string line)
    {
        TcResult r = _tc.Run(line);
        Assert.True(r.ExitCode == 0, $"tc {line}: {r.Stderr}");
    }

    private (int Verdict, uint ClassId) Classify(byte[] frame, uint mark = 0, int ingressIfIndex = 0)
    {
        Packet p = FrameBuilder.Load(_pool, frame, mark, ingressIfIndex: ingressIfIndex);
        var result = new ClassifyResult();
        int verdict = _tc.Qdisc("t0", 0x10000).Filters.Classify(p, ref result);
        p.Free();
        return (verdict, result.ClassId);
    }

    private static byte[] Udp(string src, string dst, ushort sport = 1000, ushort dport = 2000, byte tos = 0) =>
        FrameBuilder.Ipv4(FrameBuilder.Ip(src), FrameBuilder.Ip(dst), 17, sport, dport, tos);

    [Fact]
    public void Address_and_port_keys_select_the_class()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 u32 match ip src 198.18.0.1/32 match ip dport 53 0xffff flowid 1:10");
        Tc("filter add dev t0 parent 1: protocol ip prio 2 u32 match ip dst 198.19.0.0/16 flowid 1:20");

        Assert.Equal((TcAct.Ok, 0x10010u), Classify(Udp("198.18.0.1", "198.19.5.5", dport: 53)));
        Assert.Equal((TcAct.Ok, 0x10020u), Classify(Udp("198.18.0.2", "198.19.5.5", dport: 53)));
        Assert.Equal((TcAct.Unspec, 0u), Classify(Udp("198.18.0.2", "198.20.5.5", dport: 53)));
    }

    [Fact]
    public void Protocol_of_the_classifier_must_match_the_packet()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ipv6 prio 1 u32 match u32 0 0 flowid 1:6");
        Tc("filter add dev t0 parent 1: protocol all prio 2 u32 match u32 0 0 flowid 1:7");

        Assert.Equal((TcAct.Ok, 0x10007u), Classify(Udp("198.18.0.1", "198.18.0.2")));
        byte[] v6 = FrameBuilder.Ipv6(new byte[16], new byte[16]);
        Assert.Equal((TcAct.Ok, 0x10006u), Classify(v6));
    }

    [Fact]
    public void Nexthdr_offsets_follow_the_ip_header_length_after_a_link()
    {
        // The classic two-level u32: match the protocol, compute the IP header length, eat it, then look at ports.
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: prio 5 handle 1: protocol ip u32 divisor 1");
        Tc("filter add dev t0 parent 1: protocol ip prio 5 u32 ht 1: match udp dst 4789 0xffff flowid 1:42");
        Tc("filter add dev t0 parent 1: protocol ip prio 5 u32 ht 800:: match ip protocol 17 0xff offset at 0 mask 0x0f00 shift 6 eat link 1:");

        Assert.Equal((TcAct.Ok, 0x10042u), Classify(Udp("198.18.0.1", "198.18.0.2", dport: 4789)));
        // A 24-byte IP header (IHL 6) moves the ports; the computed offset follows them.
        byte[] options = FrameBuilder.Ipv4(FrameBuilder.Ip("198.18.0.1"), FrameBuilder.Ip("198.18.0.2"), 17, 1, 4789, ihl: 6);
        Assert.Equal((TcAct.Ok, 0x10042u), Classify(options));
        Assert.Equal((TcAct.Unspec, 0u), Classify(Udp("198.18.0.1", "198.18.0.2", dport: 4790)));
    }

    [Fact]
    public void Hashkey_picks_the_bucket_of_the_linked_table()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: prio 10 handle 2: protocol ip u32 divisor 256");
        Tc("filter add dev t0 parent 1: protocol ip prio 10 u32 ht 2:7b: match ip src 198.18.0.123 flowid 1:7b");
        Tc("filter add dev t0 parent 1: protocol ip prio 10 u32 ht 2:7: match u32 0 0 flowid 1:7");
        Tc("filter add dev t0 parent 1: protocol ip prio 10 u32 ht 800:: match ip src 198.18.0.0/16 hashkey mask 0x000000ff at 12 link 2:");

        Assert.Equal((TcAct.Ok, 0x1007bu), Classify(Udp("198.18.0.123", "198.18.0.2")));
        Assert.Equal((TcAct.Ok, 0x10007u), Classify(Udp("198.18.1.7", "198.18.0.2")));
        Assert.Equal((TcAct.Unspec, 0u), Classify(Udp("198.18.1.8", "198.18.0.2")));
    }

    [Fact]
    public void A_failed_lookup_in_a_linked_table_falls_back_to_the_linking_node_when_it_is_terminal()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: prio 1 handle 3: protocol ip u32 divisor 1");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 u32 ht 3: match ip dport 80 0xffff flowid 1:80");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 u32 ht 800:: match ip protocol 17 0xff link 3: flowid 1:99");

        Assert.Equal((TcAct.Ok, 0x10080u), Classify(Udp("198.18.0.1", "198.18.0.2", dport: 80)));
        Assert.Equal((TcAct.Ok, 0x10099u), Classify(Udp("198.18.0.1", "198.18.0.2", dport: 81)));
    }

    [Fact]
    public void Mark_keys_and_skip_sw_nodes()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 u32 match u32 0 0 skip_sw flowid 1:1");
        Tc("filter add dev t0 parent 1: protocol ip prio 2 u32 match mark 0x10 0xf0 flowid 1:2");

        Assert.Equal((TcAct.Ok, 0x10002u), Classify(Udp("198.18.0.1", "198.18.0.2"), mark: 0x1f));
        Assert.Equal((TcAct.Unspec, 0u), Classify(Udp("198.18.0.1", "198.18.0.2"), mark: 0x20));
    }

    [Fact]
    public void Indev_needs_the_packet_to_have_arrived_there()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 u32 match u32 0 0 flowid 1:1 indev t1");

        Assert.Equal((TcAct.Ok, 0x10001u), Classify(Udp("198.18.0.1", "198.18.0.2"), ingressIfIndex: 6));
        Assert.Equal((TcAct.Unspec, 0x10001u), Classify(Udp("198.18.0.1", "198.18.0.2"), ingressIfIndex: 7));
    }

    [Fact]
    public void A_key_beyond_the_frame_ends_classification_without_a_match()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 u32 match u32 0 0 at 1000 flowid 1:1");
        Tc("filter add dev t0 parent 1: protocol ip prio 2 u32 match u32 0 0 flowid 1:2");

        // The kernel returns -1 from the whole classifier (skb_header_pointer failed), so prio 2 decides.
        Assert.Equal((TcAct.Ok, 0x10002u), Classify(Udp("198.18.0.1", "198.18.0.2")));
    }

    [Fact]
    public void A_table_linked_to_itself_stops_at_the_depth_limit()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: prio 1 handle 4: protocol ip u32 divisor 1");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 u32 ht 4: match u32 0 0 link 4:");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 u32 ht 800:: match u32 0 0 link 4:");
        Tc("filter add dev t0 parent 1: protocol ip prio 2 u32 match u32 0 0 flowid 1:2");

        Assert.Equal((TcAct.Ok, 0x10002u), Classify(Udp("198.18.0.1", "198.18.0.2")));
    }

    [Fact]
    public void Actions_decide_the_verdict_and_counters_show_in_stats()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 u32 match ip dport 9 0xffff action drop");

        Assert.Equal(TcAct.Shot, Classify(Udp("198.18.0.1", "198.18.0.2", dport: 9)).Verdict);
        Assert.Equal(TcAct.Unspec, Classify(Udp("198.18.0.1", "198.18.0.2", dport: 10)).Verdict);

        string shown = _tc.Run("-s filter show dev t0").Stdout;
        Assert.Contains("(rule hit 2 success 1)", shown);
        Assert.Contains("match 00000009/0000ffff at 20 (success 1 )", shown);
        Assert.Contains("Sent 60 bytes 1 pkt (dropped 1, overlimits 0 requeues 0)", shown);
    }

    [Fact]
    public void Classid_binds_to_the_class_and_rebinds_when_the_class_appears()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 u32 match u32 0 0 flowid 1:5");
        Packet p = FrameBuilder.Load(_pool, Udp("198.18.0.1", "198.18.0.2"));
        var result = new ClassifyResult();
        _tc.Qdisc("t0", 0x10000).Filters.Classify(p, ref result);
        Assert.Null(result.Class);

        Tc("class add dev t0 parent 1: classid 1:5 htb rate 1mbit");
        result = new ClassifyResult();
        _tc.Qdisc("t0", 0x10000).Filters.Classify(p, ref result);
        p.Free();
        var cl = Assert.IsAssignableFrom<Sched.Fast.Qdiscs.QdiscClass>(result.Class);
        Assert.Equal(0x10005u, cl.ClassId);
        Assert.Equal(1, cl.FilterBindCount);

        Tc("filter del dev t0 parent 1: prio 1");
        Assert.Equal(0, cl.FilterBindCount);
    }
}
