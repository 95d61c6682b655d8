using Sched.Fast.Packets;
using Sched.Fast.Tests.Support;

namespace Sched.Fast.Tests.Packets;

public sealed class EcnTests : IDisposable
{
    private readonly PacketPool _pool = new(16);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void Marks_ect0_as_ce_and_keeps_the_header_checksum_valid()
    {
        Packet p = TestFrames.Packet(_pool, 100, tos: 0x02);
        Assert.True(Ecn.TrySetCe(p));
        Assert.Equal(Ecn.Ce, Ecn.Get(p.Data));
        Assert.True(Checksum.Verify(p.Data.Slice(14, 20)));
        p.Free();
    }

    [Fact]
    public void Refuses_to_mark_a_not_ect_packet()
    {
        Packet p = TestFrames.Packet(_pool, 100, tos: 0x00);
        Assert.False(Ecn.TrySetCe(p));
        Assert.Equal(Ecn.NotEct, Ecn.Get(p.Data));
        p.Free();
    }
}
