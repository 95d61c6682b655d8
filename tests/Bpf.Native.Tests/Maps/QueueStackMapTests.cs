using Bpf.Native.Maps;

namespace Bpf.Native.Tests.Maps;

public sealed unsafe class QueueStackMapTests
{
    private static int Push(BpfMap map, uint value, ulong flags = 0) => map.Push((byte*)&value, flags);

    private static uint? Pop(BpfMap map)
    {
        uint value;
        return map.Pop((byte*)&value) == 0 ? value : null;
    }

    private static uint? Peek(BpfMap map)
    {
        uint value;
        return map.Peek((byte*)&value) == 0 ? value : null;
    }

    [Fact]
    public void Queue_pops_in_push_order()
    {
        using BpfMap map = MapTestKit.Create(BpfMapType.Queue, 0, 4, 3);
        Push(map, 1);
        Push(map, 2);
        Push(map, 3);
        Assert.Equal(1u, Peek(map));
        Assert.Equal(1u, Pop(map));
        Assert.Equal(2u, Pop(map));
        Assert.Equal(3u, Pop(map));
        Assert.Null(Pop(map));
    }

    [Fact]
    public void Stack_pops_the_last_pushed_first()
    {
        using BpfMap map = MapTestKit.Create(BpfMapType.Stack, 0, 4, 3);
        Push(map, 1);
        Push(map, 2);
        Push(map, 3);
        Assert.Equal(3u, Peek(map));
        Assert.Equal(3u, Pop(map));
        Assert.Equal(2u, Pop(map));
        Assert.Equal(1u, Pop(map));
        Uint32Empty(map);
    }

    private static void Uint32Empty(BpfMap map)
    {
        uint value;
        Assert.Equal(BpfErrno.NoEntry, map.Pop((byte*)&value));
        Assert.Equal(BpfErrno.NoEntry, map.Peek((byte*)&value));
    }

    [Fact]
    public void A_full_queue_refuses_a_push_unless_BPF_EXIST_drops_the_oldest()
    {
        using BpfMap map = MapTestKit.Create(BpfMapType.Queue, 0, 4, 2);
        Assert.Equal(0, Push(map, 1));
        Assert.Equal(0, Push(map, 2));
        Assert.Equal(BpfErrno.TooBig, Push(map, 3));
        Assert.Equal(0, Push(map, 3, BpfUpdateFlags.Exist));
        Assert.Equal(2u, Pop(map));
        Assert.Equal(3u, Pop(map));
    }

    [Fact]
    public void A_full_stack_with_BPF_EXIST_drops_the_bottom_element()
    {
        using BpfMap map = MapTestKit.Create(BpfMapType.Stack, 0, 4, 2);
        Push(map, 1);
        Push(map, 2);
        Assert.Equal(0, Push(map, 3, BpfUpdateFlags.Exist));
        Assert.Equal(3u, Pop(map));
        Assert.Equal(2u, Pop(map));
        Assert.Null(Pop(map));
    }

    [Fact]
    public void Push_rejects_NOEXIST_and_unknown_flags()
    {
        using BpfMap map = MapTestKit.Create(BpfMapType.Queue, 0, 4, 2);
        Assert.Equal(BpfErrno.Invalid, Push(map, 1, BpfUpdateFlags.NoExist));
        Assert.Equal(BpfErrno.Invalid, Push(map, 1, 4));
    }

    [Fact]
    public void Userspace_update_pushes_lookup_peeks_lookup_and_delete_pops()
    {
        using BpfMap map = MapTestKit.Create(BpfMapType.Queue, 0, 4, 4);
        Assert.Equal(0, map.UpdateElement([], BitConverter.GetBytes(7u)));
        Assert.Equal(0, map.UpdateElement([], BitConverter.GetBytes(8u)));
        var value = new byte[4];
        Assert.Equal(0, map.LookupElement([], value));
        Assert.Equal(7u, BitConverter.ToUInt32(value));
        Assert.Equal(0, map.LookupAndDeleteElement([], value));
        Assert.Equal(7u, BitConverter.ToUInt32(value));
        Assert.Equal(0, map.LookupAndDeleteElement([], value));
        Assert.Equal(8u, BitConverter.ToUInt32(value));
        Assert.Equal(BpfErrno.NoEntry, map.LookupAndDeleteElement([], value));
        Assert.Equal(BpfErrno.Invalid, map.DeleteElement([]));
    }

    [Fact]
    public void Wrapping_many_times_keeps_fifo_order()
    {
        using BpfMap map = MapTestKit.Create(BpfMapType.Queue, 0, 4, 3);
        uint next = 0, expected = 0;
        for (int round = 0; round < 100; round++)
        {
            Push(map, next++);
            Push(map, next++);
            Assert.Equal(expected++, Pop(map));
            Assert.Equal(expected++, Pop(map));
        }
    }
}
