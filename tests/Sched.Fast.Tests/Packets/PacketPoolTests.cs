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
}
