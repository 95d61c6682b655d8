using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tests.Classifiers.Support;

namespace Sched.Fast.Tests.Classifiers;

/// <summary>Classifying a packet allocates nothing: u32 with links and hashing, basic with ematches, actions.</summary>
public sealed class AllocationTests : IDisposable
{
    private readonly PacketPool _pool = new(4);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void Classifying_allocates_no_managed_memory()
    {
        var tc = new TcHarness();
        foreach (string line in new[]
        {
            "qdisc add dev t0 root handle 1: htb default 10",
            "class add dev t0 parent 1: classid 1:10 htb rate 1mbit",
            "filter add dev t0 parent 1: prio 1 handle 2: protocol ip u32 divisor 256",
            "filter add dev t0 parent 1: protocol ip prio 1 u32 ht 2:1: match udp dst 2000 0xffff flowid 1:10 action gact pass random determ pipe 7 action gact pass",
            "filter add dev t0 parent 1: protocol ip prio 1 u32 ht 800:: match ip protocol 17 0xff offset at 0 mask 0x0f00 shift 6 eat hashkey mask 0x000000ff at 12 link 2:",
            "filter add dev t0 parent 1: protocol ip prio 2 basic match '(cmp(u16 at 2 layer transport eq 9) or meta(nf_mark gt 3)) and not nbyte(\"\\x01\" at 0)' classid 1:10",
            "filter add dev t0 parent 1: protocol all prio 3 matchall classid 1:10 action gact ok",
        })
        {
            TcResult r = tc.Run(line);
            Assert.True(r.ExitCode == 0, $"tc {line}: {r.Stderr}");
        }
        FilterBlock block = tc.Qdisc("t0", 0x10000).Filters;
        byte[][] frames =
        [
            FrameBuilder.Ipv4(FrameBuilder.Ip("198.18.0.1"), FrameBuilder.Ip("198.18.0.2"), 17, 1000, 2000),
            FrameBuilder.Ipv4(FrameBuilder.Ip("198.18.0.1"), FrameBuilder.Ip("198.18.0.2"), 17, 1000, 9),
            FrameBuilder.Ipv4(FrameBuilder.Ip("198.18.0.1"), FrameBuilder.Ip("198.18.0.2"), 6, 1000, 80),
        ];
        var packets = frames.Select(f => FrameBuilder.Load(_pool, f, mark: 5)).ToArray();

        int Run(int n)
        {
            int sum = 0;
            for (int i = 0; i < n; i++)
            {
                var result = new ClassifyResult();
                sum += block.Classify(packets[i % packets.Length], ref result);
            }
            return sum;
        }

        // Warm up past tiered compilation (on-stack replacement of the loop allocates once).
        Run(200_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(30_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        foreach (Packet p in packets) p.Free();

        Assert.Equal(0, allocated);
        // The walk went through the link, the hash and the eat: the hashed node saw both UDP frames and matched
        // one in three packets; the determ fallback (pipe) let the second action see one in seven of those.
        string shown = tc.Run("-s filter show dev t0 prio 1").Stdout;
        Assert.Contains("bkt 1 *flowid 1:10 not_in_hw (rule hit 153334 success 76667)", shown);
        Assert.Contains("Sent 657120 bytes 10952 pkt", shown);
    }
}
