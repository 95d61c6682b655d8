using Bpf.Native.Maps;
using static Bpf.Native.Tests.Maps.MapTestKit;

namespace Bpf.Native.Tests.Maps;

public sealed unsafe class ArrayMapTests
{
    [Fact]
    public void Every_index_exists_and_starts_at_zero()
    {
        using BpfMap map = Create(BpfMapType.Array, 4, 8, 4);
        Assert.Equal(0UL, Get(map, 0));
        Assert.Equal(0UL, Get(map, 3));
        Assert.Null(Get(map, 4));
        Assert.Equal(BpfErrno.NoEntry, map.LookupElement(U32(4), new byte[8]));
    }

    [Fact]
    public void Update_checks_flags_then_index_then_NOEXIST_as_array_map_update_elem()
    {
        using BpfMap map = Create(BpfMapType.Array, 4, 8, 4);
        Assert.Equal(BpfErrno.Invalid, Put(map, 9, 1, 3));
        Assert.Equal(BpfErrno.TooBig, Put(map, 4, 1));
        Assert.Equal(BpfErrno.Exists, Put(map, 1, 1, BpfUpdateFlags.NoExist));
        Assert.Equal(0, Put(map, 1, 42, BpfUpdateFlags.Exist));
        Assert.Equal(42UL, Read(map, 1));
    }

    [Fact]
    public void Elements_cannot_be_deleted()
    {
        using BpfMap map = Create(BpfMapType.Array, 4, 8, 4);
        Assert.Equal(BpfErrno.Invalid, Remove(map, 0));
        Assert.Equal(BpfErrno.Invalid, map.DeleteElement(U32(0)));
    }

    [Fact]
    public void Values_are_spaced_by_value_size_rounded_up_to_8()
    {
        using var map = (ArrayMap)Create(BpfMapType.Array, 4, 12, 3);
        Assert.Equal(16, map.ValueStride);
        uint key = 2;
        Assert.Equal((nint)(map.ValuesBase + 32), (nint)map.Lookup((byte*)&key));
    }

    [Fact]
    public void Get_next_key_walks_indexes_and_restarts_on_a_bad_key()
    {
        using BpfMap map = Create(BpfMapType.Array, 4, 8, 3);
        Assert.Equal([0u, 1u, 2u], map.Keys().Select(k => BitConverter.ToUInt32(k)));
        var next = new byte[4];
        Assert.Equal(0, map.GetNextKey(U32(77), next));
        Assert.Equal(0u, BitConverter.ToUInt32(next));
        Assert.Equal(BpfErrno.NoEntry, map.GetNextKey(U32(2), next));
    }

    [Fact]
    public void Per_cpu_array_programs_see_their_copy_userspace_all()
    {
        using BpfMap map = Create(BpfMapType.PerCpuArray, 4, 4, 2, cpus: 2);
        try
        {
            BpfCpu.SetCurrentThreadSlot(1);
            uint key = 1;
            *(uint*)map.Lookup((byte*)&key) += 7;
            var all = new byte[16];
            Assert.Equal(0, map.LookupElement(U32(1), all));
            Assert.Equal(0u, BitConverter.ToUInt32(all, 0));
            Assert.Equal(7u, BitConverter.ToUInt32(all, 8));
            byte[] both = [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0];
            Assert.Equal(0, map.UpdateElement(U32(0), both));
            key = 0;
            Assert.Equal(2u, *(uint*)map.Lookup((byte*)&key));
            BpfCpu.SetCurrentThreadSlot(0);
            Assert.Equal(1u, *(uint*)map.Lookup((byte*)&key));
        }
        finally
        {
            BpfCpu.ClearCurrentThreadSlot();
        }
    }

    [Fact]
    public void A_one_element_array_gives_direct_value_addresses_for_global_data()
    {
        using var map = (ArrayMap)Create(BpfMapType.Array, 4, 16, 1);
        Assert.Equal((ulong)(map.ValuesBase + 12), map.DirectValueAddress(12));
        Assert.Throws<InvalidOperationException>(() => map.DirectValueAddress(16));
    }

    [Fact]
    public void A_frozen_map_refuses_userspace_writes_but_not_program_writes()
    {
        using BpfMap map = Create(BpfMapType.Array, 4, 8, 1);
        map.Freeze();
        Assert.Equal(BpfErrno.NotPermitted, map.UpdateElement(U32(0), U64(1)));
        Assert.Equal(0, Put(map, 0, 1));
    }
}
