using System.Buffers.Binary;
using Bpf.Native.Maps;

namespace Bpf.Native.Tests.Maps;

public sealed unsafe class RingBufMapTests
{
    private static RingBufMap Create(uint bytes = 4096) => (RingBufMap)MapTestKit.Create(BpfMapType.RingBuf, 0, 0, bytes);

    private static int Output(RingBufMap ring, params byte[] data)
    {
        fixed (byte* p = data)
        {
            return ring.Output(p, (ulong)data.Length, 0);
        }
    }

    private static List<byte[]> Drain(RingBufMap ring)
    {
        var records = new List<byte[]>();
        new RingBufConsumer(ring).Consume(record => records.Add(record.ToArray()));
        return records;
    }

    [Fact]
    public void Output_records_are_consumed_in_order()
    {
        using RingBufMap ring = Create();
        Assert.Equal(0, Output(ring, 1, 2, 3));
        Assert.Equal(0, Output(ring, 4));
        List<byte[]> records = Drain(ring);
        Assert.Equal([new byte[] { 1, 2, 3 }, new byte[] { 4 }], records);
        Assert.Empty(Drain(ring));
    }

    [Fact]
    public void Records_use_the_kernel_header_layout()
    {
        using RingBufMap ring = Create();
        byte* sample = ring.Reserve(5, 0);
        var header = new ReadOnlySpan<byte>(sample - 8, 8);
        Assert.Equal(5u | RingBufMap.BusyBit, BinaryPrimitives.ReadUInt32LittleEndian(header));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(header[4..])); // pg_off: data starts at page 3
        RingBufMap.Submit(sample, 0);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(header));
        Assert.Equal(16UL, ring.Query(3)); // producer_pos advanced by round_up(5 + 8, 8)
        Assert.Equal(16UL, ring.Query(0));
        Assert.Equal(4096UL, ring.Query(1));
    }

    [Fact]
    public void Discarded_records_are_skipped_and_busy_ones_stop_the_consumer()
    {
        using RingBufMap ring = Create();
        byte* first = ring.Reserve(4, 0);
        byte* second = ring.Reserve(4, 0);
        *(uint*)second = 22;
        RingBufMap.Submit(second, 0);
        Assert.Empty(Drain(ring)); // the first is still reserved
        RingBufMap.Discard(first, 0);
        List<byte[]> records = Drain(ring);
        Assert.Equal([BitConverter.GetBytes(22u)], records);
    }

    [Fact]
    public void A_full_ring_refuses_with_EAGAIN_until_the_consumer_catches_up()
    {
        using RingBufMap ring = Create();
        var payload = new byte[1000];
        int accepted = 0;
        while (Output(ring, payload) == 0)
        {
            accepted++;
        }
        Assert.Equal(4, accepted); // 4 x 1008 bytes fit in 4096; a 5th would reach the consumer
        Assert.Equal(BpfErrno.TryAgain, Output(ring, payload));
        Assert.Equal(4, Drain(ring).Count);
        Assert.Equal(0, Output(ring, payload));
    }

    [Fact]
    public void Records_never_wrap_and_stay_whole_across_many_laps()
    {
        using RingBufMap ring = Create();
        var consumer = new RingBufConsumer(ring);
        int next = 0, expected = 0;
        for (int lap = 0; lap < 200; lap++)
        {
            for (int i = 0; i < 3; i++)
            {
                byte[] record = Enumerable.Repeat((byte)next, 300 + next % 50).ToArray();
                Assert.Equal(0, Output(ring, record));
                next++;
            }
            consumer.Consume(record =>
            {
                Assert.Equal(300 + expected % 50, record.Length);
                Assert.All(record.ToArray(), b => Assert.Equal((byte)expected, b));
                expected++;
            });
        }
        Assert.Equal(next, expected);
    }

    [Fact]
    public void Reserve_rejects_flags_and_records_larger_than_the_ring()
    {
        using RingBufMap ring = Create();
        Assert.True(ring.Reserve(4, 1) == null);
        Assert.True(ring.Reserve(4096, 0) == null);
        fixed (byte* p = new byte[4])
        {
            Assert.Equal(BpfErrno.Invalid, ring.Output(p, 4, 4));
        }
    }
}
