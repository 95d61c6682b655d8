using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs.Htb;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Shaping;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Htb;

/// <summary>
/// Issue 6's bar for htb borrowing: with every leaf backlogged, the shares under combinations of rate, ceil and prio
/// are within +-1% of the analytic result: each leaf gets its rate; the parent's spare rate goes to the lowest prio
/// first, and within a prio in proportion to the leaves' quanta (rate / r2q, DRR in bytes), never beyond a ceil.
/// Shares are bytes sent over a 10-second window after a 1-second warm-up, in Mbit/s.
/// <para>
/// A class held back by its ceil can only save cburst worth of ceil tokens while others take their DRR turns. With
/// tc's default cburst (1600 bytes) against a sibling's quantum of 12500 bytes or more, a capped class therefore
/// gets less than its ceil, in the kernel as here; the ceil tests give cburst room for a turn, as a tuned
/// configuration does, so that the analytic share applies.
/// </para>
/// </summary>
public sealed class HtbBorrowingTests
{
    private sealed record Leaf(string ClassId, double ExpectedMbit, int Size = 1000, long StopAtNs = long.MaxValue);

    private static void Check(string[] classes, params Leaf[] leaves)
    {
        using var pool = new PacketPool(1024);
        var clock = new ManualClock(new TimeNs(1_000_000_000));
        HtbQdisc q = HtbTestTree.Create(new NetDevice("t0", 2), "", classes);
        var sources = leaves.Select(l =>
        {
            TcHandle.TryParseClassId(l.ClassId, out uint id);
            return new ShapedTrafficSimulator.Source { SizeBytes = l.Size, Priority = id, Backlog = 32, StopAtNs = l.StopAtNs };
        }).ToArray();
        var sim = new ShapedTrafficSimulator(q, clock, pool, sources);

        sim.Run(TimeNs.NsPerSecond, 10 * TimeNs.NsPerSecond);

        for (int i = 0; i < leaves.Length; i++)
        {
            double mbit = sources[i].WindowBytes * 8 / 10.0 / 1e6;
            if (leaves[i].ExpectedMbit == 0) Assert.Equal(0, sources[i].WindowBytes);
            else Assert.True(Math.Abs(mbit / leaves[i].ExpectedMbit - 1) <= 0.01,
                $"{leaves[i].ClassId}: {mbit:F4} Mbit/s, expected {leaves[i].ExpectedMbit} +-1%");
        }
        q.AssertInvariants();
        q.Reset();
    }

    [Fact]
    public void Rates_that_fill_the_parent_are_each_guaranteed() => Check(
        ["1: 1:1 rate 10mbit", "1:1 1:10 rate 3mbit ceil 10mbit", "1:1 1:20 rate 7mbit ceil 10mbit"],
        new Leaf("1:10", 3), new Leaf("1:20", 7));

    [Fact]
    public void Spare_rate_is_shared_equally_between_equal_leaves() => Check(
        ["1: 1:1 rate 10mbit", "1:1 1:10 rate 2mbit ceil 10mbit", "1:1 1:20 rate 2mbit ceil 10mbit"],
        new Leaf("1:10", 5), new Leaf("1:20", 5));

    [Fact]
    public void Spare_rate_is_shared_in_proportion_to_the_quanta() => Check(
        ["1: 1:1 rate 10mbit", "1:1 1:10 rate 1mbit ceil 10mbit", "1:1 1:20 rate 3mbit ceil 10mbit"],
        new Leaf("1:10", 1 + 6 * 0.25), new Leaf("1:20", 3 + 6 * 0.75));

    [Fact]
    public void Spare_rate_goes_to_the_lower_prio_first() => Check(
        ["1: 1:1 rate 10mbit", "1:1 1:10 rate 2mbit ceil 10mbit prio 0", "1:1 1:20 rate 2mbit ceil 10mbit prio 1"],
        new Leaf("1:10", 8), new Leaf("1:20", 2));

    [Fact]
    public void A_ceil_caps_what_a_leaf_may_borrow() => Check(
        ["1: 1:1 rate 10mbit", "1:1 1:10 rate 1mbit ceil 3mbit cburst 15k", "1:1 1:20 rate 1mbit ceil 10mbit"],
        new Leaf("1:10", 3), new Leaf("1:20", 7));

    [Fact]
    public void A_prio_leaf_capped_by_its_ceil_leaves_the_rest_to_the_next_prio() => Check(
        ["1: 1:1 rate 10mbit", "1:1 1:10 rate 1mbit ceil 4mbit cburst 15k prio 0", "1:1 1:20 rate 1mbit ceil 10mbit prio 1"],
        new Leaf("1:10", 4), new Leaf("1:20", 6));

    [Fact]
    public void Leaves_borrow_from_their_own_parent_before_the_grandparent() => Check(
        ["1: 1:1 rate 10mbit",
         "1:1 1:10 rate 6mbit ceil 10mbit", "1:10 1:11 rate 1mbit ceil 10mbit", "1:10 1:12 rate 1mbit ceil 10mbit",
         "1:1 1:20 rate 4mbit ceil 10mbit", "1:20 1:21 rate 1mbit ceil 10mbit"],
        new Leaf("1:11", 3), new Leaf("1:12", 3), new Leaf("1:21", 4));

    [Fact]
    public void An_idle_siblings_share_is_lent_up_to_the_ceil() => Check(
        ["1: 1:1 rate 10mbit", "1:1 1:10 rate 2mbit ceil 10mbit", "1:1 1:20 rate 8mbit ceil 10mbit"],
        new Leaf("1:10", 10), new Leaf("1:20", 0, StopAtNs: 0));

    [Fact]
    public void Sharing_is_fair_in_bytes_whatever_the_packet_sizes() => Check(
        ["1: 1:1 rate 10mbit", "1:1 1:10 rate 2mbit ceil 10mbit", "1:1 1:20 rate 2mbit ceil 10mbit"],
        new Leaf("1:10", 5, Size: 1514), new Leaf("1:20", 5, Size: 64));

    [Fact]
    public void A_parent_ceil_above_its_rate_lets_children_borrow_from_the_grandparent() => Check(
        ["1: 1:1 rate 20mbit",
         "1:1 1:10 rate 5mbit ceil 20mbit", "1:10 1:11 rate 5mbit ceil 20mbit",
         "1:1 1:20 rate 5mbit ceil 8mbit cburst 100k", "1:20 1:21 rate 5mbit ceil 20mbit"],
        new Leaf("1:11", 12), new Leaf("1:21", 8));
}
