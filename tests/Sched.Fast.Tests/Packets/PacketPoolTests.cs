using System.Collections.Concurrent;
using Sched.Fast.Packets;

namespace Sched.Fast.Tests.Packets;

public class PacketPoolTests
{
    [Fact]
    public void Rents_every_packet_once_then_reports_empty()
    {
        using var pool = new PacketPool(8);
        var rented = new HashSet<Packet>();
        for (int i = 0; i < 8; i++) Assert.True(rented.Add(pool.Rent()!));
        Assert.Null(pool.Rent());
        foreach (Packet p in rented) p.Free();
        Assert.Equal(8, pool.Available);
    }

    [Fact]
    public void Freeing_twice_is_refused()
    {
        using var pool = new PacketPool(2);
        Packet p = pool.Rent()!;
        p.Free();
        Assert.Throws<InvalidOperationException>(() => p.Free());
    }

    [Fact]
    public void Returns_from_another_thread_come_back_to_the_owner()
    {
        using var pool = new PacketPool(100);
        var packets = new List<Packet>();
        for (int i = 0; i < 100; i++) packets.Add(pool.Rent()!);
        var t = new Thread(() => { foreach (Packet p in packets) p.Free(); });
        t.Start();
        t.Join();
        Assert.Equal(100, pool.Available);
        for (int i = 0; i < 100; i++) Assert.NotNull(pool.Rent());
    }

    [Fact]
    public void A_rented_packet_has_clean_metadata_and_headroom()
    {
        using var pool = new PacketPool(1);
        Packet p = pool.Rent()!;
        p.Mark = 7;
        p.Load([1, 2, 3]);
        p.Free();
        Packet q = pool.Rent()!;
        Assert.Equal(0u, q.Mark);
        Assert.Equal(0, q.Length);
        Assert.Equal(PacketPool.DefaultHeadroom, q.Headroom);
    }

    [Fact]
    public unsafe void Push_and_pull_move_the_frame_start_and_keep_ebpf_pointers_current()
    {
        using var pool = new PacketPool(1);
        Packet p = pool.Rent()!;
        p.Load([1, 2, 3, 4]);
        Assert.True(p.TryPush(4));
        Assert.Equal(8, p.Length);
        Assert.True(p.Meta.Data == p.DataPointer);
        Assert.True(p.Meta.DataEnd == p.DataPointer + 8);
        Assert.True(p.TryPull(4));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, p.Data.ToArray());
        Assert.False(p.TryPull(5));
    }

    [Fact]
    public void A_burst_rents_distinct_clean_packets_and_a_burst_return_gives_them_back()
    {
        using var pool = new PacketPool(100);
        Packet first = pool.Rent()!;
        first.Mark = 9;
        first.Free();
        var burst = new Packet[64];
        Assert.Equal(64, pool.RentBurst(burst));
        Assert.Equal(64, burst.Distinct().Count());
        Assert.All(burst, p => Assert.Equal(0u, p.Mark));
        Assert.All(burst, p => Assert.Equal(PacketPool.DefaultHeadroom, p.Headroom));
        var rest = new Packet[64];
        Assert.Equal(36, pool.RentBurst(rest));
        Assert.Empty(burst.Intersect(rest.Take(36)));
        pool.ReturnBurst(burst);
        pool.ReturnBurst(rest.AsSpan(0, 36));
        Assert.Equal(100, pool.Available);
    }

    [Fact]
    public void A_packet_twice_in_a_returned_burst_is_refused_and_the_others_stay_returned()
    {
        using var pool = new PacketPool(8);
        Packet a = pool.Rent()!, b = pool.Rent()!, c = pool.Rent()!;
        Assert.Throws<InvalidOperationException>(() => pool.ReturnBurst([a, b, a]));
        Assert.Equal(7, pool.Available);
        Assert.Throws<InvalidOperationException>(() => b.Free());
        c.Free();
        Assert.Equal(8, pool.Available);
    }

    [Fact]
    public void After_another_thread_binds_the_former_owner_returns_through_the_shared_stack()
    {
        using var pool = new PacketPool(16);
        Packet p = pool.Rent()!; // this thread owns the pool and has cached that
        var other = new Thread(pool.BindToCurrentThread);
        other.Start();
        other.Join();
        Assert.Equal(0, pool.OwnerStackCount);
        p.Free();
        Assert.Equal(0, pool.OwnerStackCount); // not pushed onto the new owner's private stack
        Assert.Equal(16, pool.Available);
    }

    [Fact]
    public void After_a_rebind_the_former_owner_takes_the_locked_path_and_nothing_is_lost_or_handed_out_twice()
    {
        using var pool = new PacketPool(512);
        Packet warm = pool.Rent()!; // this thread is the owner and has cached it
        warm.Free();
        var handOff = new BlockingCollection<Packet>();
        var seen = new ConcurrentDictionary<Packet, int>();
        Exception? failure = null;
        using var bound = new ManualResetEventSlim();
        var owner = new Thread(() =>
        {
            try
            {
                pool.BindToCurrentThread();
                bound.Set();
                for (int round = 0; round < 20_000; round++)
                {
                    Packet? p = pool.Rent();
                    if (p is null) continue;
                    if (!seen.TryAdd(p, 0)) throw new InvalidOperationException("handed out twice");
                    if ((round & 1) == 0)
                    {
                        seen.TryRemove(p, out _);
                        p.Free();
                    }
                    else handOff.Add(p);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                handOff.CompleteAdding();
            }
        });
        owner.Start();
        bound.Wait();
        // The former owner (this thread) now frees what the new owner hands it, and rents now and then.
        foreach (Packet p in handOff.GetConsumingEnumerable())
        {
            seen.TryRemove(p, out _);
            p.Free();
            if (pool.Rent() is { } q)
            {
                Assert.True(seen.TryAdd(q, 0), "handed out twice");
                seen.TryRemove(q, out _);
                q.Free();
            }
        }
        owner.Join();
        Assert.Null(failure);
        Assert.Equal(512, pool.Available);
        var all = new Packet[512];
        Assert.Equal(512, pool.RentBurst(all));
        Assert.Equal(512, all.Distinct().Count());
    }

    [Fact]
    public void A_thread_owning_two_pools_returns_each_packet_to_its_own()
    {
        using var a = new PacketPool(8);
        using var b = new PacketPool(8);
        for (int i = 0; i < 100; i++)
        {
            Packet pa = a.Rent()!, pb = b.Rent()!;
            Assert.Same(a, pa.Pool);
            Assert.Same(b, pb.Pool);
            pb.Free();
            pa.Free();
        }
        Assert.Equal(8, a.Available);
        Assert.Equal(8, b.Available);
    }
}
