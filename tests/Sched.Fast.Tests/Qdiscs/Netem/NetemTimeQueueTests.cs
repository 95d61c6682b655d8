using Sched.Fast.Packets;
using Sched.Fast.Qdiscs.Netem;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>The tfifo against a reference: a stable sort by time to send, ties in arrival order.</summary>
public sealed class NetemTimeQueueTests : IDisposable
{
    private readonly NetemRig _rig = new(4096);

    public void Dispose() => _rig.Dispose();

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 50)]
    [InlineData(3, 1000)]
    [InlineData(4, 1_000_000)]
    public void Packets_leave_in_stable_time_order_under_random_arrivals_and_departures(int seed, int timeSpread)
    {
        var rng = new Random(seed);
        var queue = new NetemTimeQueue();
        var reference = new List<(long Time, int Arrival, Packet Packet)>();
        int arrivals = 0;
        long clock = 0;
        for (int step = 0; step < 20_000; step++)
        {
            if (reference.Count < 2000 && rng.Next(3) != 0)
            {
                Packet p = _rig.Packet(60 + rng.Next(100));
                // Mostly later than the newest (the list), sometimes earlier (the heap), often equal.
                long t = clock + rng.Next(timeSpread);
                p.Meta.QdiscScratch = t;
                queue.Enqueue(p);
                reference.Add((t, arrivals++, p));
                clock += rng.Next(2);
            }
            else if (reference.Count > 0)
            {
                var expected = reference.OrderBy(x => x.Time).ThenBy(x => x.Arrival).First();
                Packet? head = queue.Peek();
                Assert.Same(expected.Packet, head);
                queue.RemoveFirst(head!);
                reference.Remove(expected);
                head!.Free();
            }
            if (step % 97 == 0)
            {
                queue.AssertInvariants();
                Assert.Equal(reference.Count, queue.Count);
                Assert.Equal(reference.Sum(x => (long)x.Packet.QdiscLength), queue.Bytes);
                Assert.Equal(reference.Count > 0, queue.TryGetLatestTime(out long latest));
                if (reference.Count > 0) Assert.Equal(reference.Max(x => x.Time), latest);
            }
        }
        queue.Purge();
        Assert.Equal(0, queue.Count);
        Assert.Equal(_rig.Pool.Count, _rig.Pool.Available);
    }
}
