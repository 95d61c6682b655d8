using Sched.Fast.Aqm;
using Sched.Fast.Packets;
using Sched.Fast.Tests.Support;

namespace Sched.Fast.Tests.Aqm;

public sealed class DsFieldTests : IDisposable
{
    private readonly PacketPool _pool = new(8);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void Ipv4_ds_field_is_the_tos_byte()
    {
        Packet p = TestFrames.Packet(_pool, 100, tos: 0xB9);
        Assert.Equal(0xB9, DsField.Get(p));
        p.Free();
    }

    [Fact]
    public void Ipv6_ds_field_is_the_traffic_class()
    {
        Packet p = _pool.Rent()!;
        var f = new byte[60];
        f[12] = 0x86; f[13] = 0xDD;
        f[14] = 0x6A; f[15] = 0x50; // version 6, traffic class 0xA5
        p.Load(f);
        Assert.Equal(0xA5, DsField.Get(p));
        p.Free();
    }

    [Fact]
    public void Non_ip_frames_have_none()
    {
        Packet p = _pool.Rent()!;
        var f = new byte[60];
        f[12] = 0x08; f[13] = 0x06; // ARP
        p.Load(f);
        Assert.Equal(-1, DsField.Get(p));
        p.Free();
    }
}
