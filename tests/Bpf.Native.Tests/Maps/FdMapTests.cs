using Bpf.Native.Maps;

namespace Bpf.Native.Tests.Maps;

/// <summary>Maps whose values are objects of this process: prog_array, perf_event_array, map-in-map.</summary>
public sealed unsafe class FdMapTests
{
    [Fact]
    public void Prog_array_slots_hold_programs_for_tail_calls()
    {
        using var map = (ProgArrayMap)MapTestKit.Create(BpfMapType.ProgArray, 4, 4, 2);
        var program = new object();
        Assert.Null(map.GetProgram(0));
        Assert.Equal(0, map.SetProgram(1, program));
        Assert.Same(program, map.GetProgram(1));
        Assert.Null(map.GetProgram(2));
        Assert.Equal(BpfErrno.TooBig, map.SetProgram(2, program));
        Assert.Equal(0, map.DeleteElement(BitConverter.GetBytes(1u)));
        Assert.Equal(BpfErrno.NoEntry, map.DeleteElement(BitConverter.GetBytes(1u)));
        uint key = 0;
        Assert.True(map.Lookup((byte*)&key) == null);
    }

    /// <summary>fd_array_map_delete_elem() and array_map_get_next_key(), as prog_array and perf_event_array share them.</summary>
    [Fact]
    public void Slots_delete_and_keys_walk_as_in_the_kernels_fd_arrays()
    {
        using var programs = (ProgArrayMap)MapTestKit.Create(BpfMapType.ProgArray, 4, 4, 3);
        using var rings = (PerfEventArrayMap)MapTestKit.Create(BpfMapType.PerfEventArray, 4, 4, 3);
        using var ring = new PerfEventRing(4096);
        programs.SetProgram(1, new object());
        rings.SetRing(1, ring);
        foreach (BpfMap map in (BpfMap[])[programs, rings])
        {
            Assert.Equal(BpfErrno.TooBig, map.DeleteElement(BitConverter.GetBytes(3u)));
            Assert.Equal(BpfErrno.NoEntry, map.DeleteElement(BitConverter.GetBytes(0u)));
            Assert.Equal(0, map.DeleteElement(BitConverter.GetBytes(1u)));
            Assert.Equal(BpfErrno.NoEntry, map.DeleteElement(BitConverter.GetBytes(1u)));
        }
        Assert.Null(programs.GetProgram(1));
        // Every index is a key, full or empty; an out-of-range key restarts at 0.
        Assert.Equal([0u, 1u, 2u], programs.Keys().Select(k => BitConverter.ToUInt32(k)));
        var next = new byte[4];
        Assert.Equal(0, programs.GetNextKey(BitConverter.GetBytes(7u), next));
        Assert.Equal(0u, BitConverter.ToUInt32(next));
        Assert.Equal(BpfErrno.NoEntry, programs.GetNextKey(BitConverter.GetBytes(2u), next));
    }

    [Fact]
    public void A_perf_event_array_lists_every_index_as_a_key_like_any_array()
    {
        using var map = (PerfEventArrayMap)MapTestKit.Create(BpfMapType.PerfEventArray, 4, 4, 3);
        Assert.Equal([0u, 1u, 2u], map.Keys().Select(k => BitConverter.ToUInt32(k)));
    }

    [Fact]
    public void Perf_event_output_goes_to_the_chosen_slot_in_perf_record_layout()
    {
        using var map = (PerfEventArrayMap)MapTestKit.Create(BpfMapType.PerfEventArray, 4, 4, 2);
        using var ring = new PerfEventRing(4096);
        byte[] data = [1, 2, 3, 4, 5];
        fixed (byte* p = data)
        {
            Assert.Equal(BpfErrno.NoEntry, map.Output(1, p, 5));
            map.SetRing(1, ring);
            Assert.Equal(0, map.Output(1, p, 5));
            Assert.Equal(BpfErrno.TooBig, map.Output(2, p, 5));
            Assert.Equal(BpfErrno.Invalid, map.Output(1UL << 60, p, 5));
        }
        var records = new List<byte[]>();
        ring.Consume(r => records.Add(r.ToArray()));
        byte[] record = Assert.Single(records);
        Assert.Equal(12, record.Length); // u32 size + data padded so the whole sample is 8-byte aligned
        Assert.Equal(data, record[..5]);
    }

    [Fact]
    public void Perf_ring_counts_lost_records_when_full()
    {
        using var ring = new PerfEventRing(64);
        using var map = (PerfEventArrayMap)MapTestKit.Create(BpfMapType.PerfEventArray, 4, 4, 1);
        map.SetRing(0, ring);
        var data = new byte[20];
        fixed (byte* p = data)
        {
            Assert.Equal(0, map.Output(0, p, 20));
            Assert.Equal(0, map.Output(0, p, 20));
            Assert.Equal(BpfErrno.NoSpace, map.Output(0, p, 20));
        }
        Assert.Equal(1, ring.LostRecords);
    }

    [Fact]
    public void Array_of_maps_lookup_returns_the_inner_map_which_fits_its_template()
    {
        var template = new MapDefinition("inner", BpfMapType.Array, 4, 8, 4);
        using var outer = (ArrayOfMapsMap)BpfMapFactory.Create(new MapDefinition("outer", BpfMapType.ArrayOfMaps, 4, 4, 2), template);
        using BpfMap inner = BpfMapFactory.Create(template with { Name = "a" });
        using BpfMap wrongSize = BpfMapFactory.Create(template with { Name = "b", MaxEntries = 8 });
        Assert.Equal(0, outer.SetInnerMap(1, inner));
        Assert.Equal(BpfErrno.Invalid, outer.SetInnerMap(0, wrongSize));
        uint key = 1;
        nint handle = (nint)outer.Lookup((byte*)&key);
        Assert.Same(inner, BpfMap.FromHandle(handle));
        key = 0;
        Assert.True(outer.Lookup((byte*)&key) == null);

        var id = new byte[4];
        Assert.Equal(0, outer.LookupElement(BitConverter.GetBytes(1u), id));
        Assert.Equal(inner.Id, BitConverter.ToInt32(id));
        Assert.Equal(0, outer.UpdateElement(BitConverter.GetBytes(0u), id));
        Assert.Same(inner, outer.GetInnerMap(0));
    }

    [Fact]
    public void Inner_map_max_entries_may_differ_with_BPF_F_INNER_MAP()
    {
        var template = new MapDefinition("inner", BpfMapType.Array, 4, 8, 4, BpfMapFlags.InnerMap);
        using var outer = (ArrayOfMapsMap)BpfMapFactory.Create(new MapDefinition("outer", BpfMapType.ArrayOfMaps, 4, 4, 2), template);
        using BpfMap bigger = BpfMapFactory.Create(template with { MaxEntries = 100 });
        Assert.Equal(0, outer.SetInnerMap(0, bigger));
    }

    [Fact]
    public void Hash_of_maps_holds_inner_maps_by_key()
    {
        var template = new MapDefinition("inner", BpfMapType.Hash, 4, 8, 16);
        using var outer = (HashOfMapsMap)BpfMapFactory.Create(new MapDefinition("outer", BpfMapType.HashOfMaps, 8, 4, 4), template);
        using BpfMap inner = BpfMapFactory.Create(template);
        byte[] key = BitConverter.GetBytes(0x1122334455667788UL);
        Assert.Equal(0, outer.SetInnerMap(key, inner));
        fixed (byte* k = key)
        {
            Assert.Same(inner, BpfMap.FromHandle((nint)outer.Lookup(k)));
        }
        Assert.Equal(0, outer.DeleteElement(key));
        Assert.Equal(BpfErrno.NoEntry, outer.LookupElement(key, new byte[4]));
    }

    [Fact]
    public void A_disposed_map_handle_no_longer_resolves()
    {
        BpfMap map = MapTestKit.Create(BpfMapType.Array, 4, 4, 1);
        nint handle = map.Handle;
        Assert.Same(map, BpfMap.FromHandle(handle));
        map.Dispose();
        Assert.Null(BpfMap.FromHandle(handle));
    }
}
