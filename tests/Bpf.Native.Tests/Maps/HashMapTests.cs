using Bpf.Native.Maps;
using static Bpf.Native.Tests.Maps.MapTestKit;

namespace Bpf.Native.Tests.Maps;

public sealed unsafe class HashMapTests
{
    [Fact]
    public void Lookup_returns_a_pointer_into_map_memory_that_userspace_sees()
    {
        using BpfMap map = Create(BpfMapType.Hash, 4, 8, 16);
        Assert.Equal(0, Put(map, 7, 100));
        uint key = 7;
        ulong* value = (ulong*)map.Lookup((byte*)&key);
        Assert.True(value != null);
        *value += 5; // what a program does with the pointer
        Assert.Equal(105UL, Read(map, 7));
        Assert.Null(Get(map, 8));
    }

    [Fact]
    public void Update_flags_give_the_kernel_errors()
    {
        using BpfMap map = Create(BpfMapType.Hash, 4, 8, 16);
        Assert.Equal(BpfErrno.NoEntry, Put(map, 1, 1, BpfUpdateFlags.Exist));
        Assert.Equal(0, Put(map, 1, 1, BpfUpdateFlags.NoExist));
        Assert.Equal(BpfErrno.Exists, Put(map, 1, 2, BpfUpdateFlags.NoExist));
        Assert.Equal(0, Put(map, 1, 3, BpfUpdateFlags.Exist));
        Assert.Equal(3UL, Get(map, 1));
        Assert.Equal(BpfErrno.Invalid, Put(map, 1, 3, 3));
        Assert.Equal(BpfErrno.Invalid, Put(map, 1, 3, BpfUpdateFlags.Lock));
    }

    [Fact]
    public void A_full_map_refuses_new_keys_with_E2BIG_but_updates_existing_ones()
    {
        using BpfMap map = Create(BpfMapType.Hash, 4, 8, 4);
        for (uint key = 0; key < 4; key++)
        {
            Assert.Equal(0, Put(map, key, key));
        }
        Assert.Equal(BpfErrno.TooBig, Put(map, 99, 1));
        for (int round = 0; round < 1000; round++)
        {
            Assert.Equal(0, Put(map, 2, (ulong)round)); // replacing never runs out of elements
        }
        Assert.Equal(999UL, Get(map, 2));
        Assert.Equal(0, Remove(map, 0));
        Assert.Equal(0, Put(map, 99, 1));
        Assert.Equal(4, ((HashMap)map).Count);
    }

    [Fact]
    public void Delete_of_a_missing_key_is_ENOENT()
    {
        using BpfMap map = Create(BpfMapType.Hash, 4, 8, 4);
        Assert.Equal(BpfErrno.NoEntry, Remove(map, 1));
        Put(map, 1, 1);
        Assert.Equal(0, Remove(map, 1));
        Assert.Null(Get(map, 1));
        Assert.Equal(BpfErrno.NoEntry, map.DeleteElement(U32(1)));
    }

    [Fact]
    public void Get_next_key_visits_every_key_once()
    {
        using BpfMap map = Create(BpfMapType.Hash, 4, 8, 64);
        var expected = new HashSet<uint>();
        for (uint key = 100; key < 150; key++)
        {
            Put(map, key, key);
            expected.Add(key);
        }
        var seen = map.Keys().Select(k => BitConverter.ToUInt32(k)).ToList();
        Assert.Equal(expected.Count, seen.Count);
        Assert.True(expected.SetEquals(seen));
        // A missing key restarts at the first key, as htab_map_get_next_key does.
        var first = new byte[4];
        var again = new byte[4];
        Assert.Equal(0, map.GetNextKey([], first));
        Assert.Equal(0, map.GetNextKey(U32(12345), again));
        Assert.Equal(first, again);
    }

    [Fact]
    public void Lookup_and_delete_returns_the_value_and_removes_it()
    {
        using BpfMap map = Create(BpfMapType.Hash, 4, 8, 4);
        Put(map, 5, 55);
        var value = new byte[8];
        Assert.Equal(0, map.LookupAndDeleteElement(U32(5), value));
        Assert.Equal(55UL, BitConverter.ToUInt64(value));
        Assert.Equal(BpfErrno.NoEntry, map.LookupAndDeleteElement(U32(5), value));
    }

    [Fact]
    public void Odd_key_and_value_sizes_compare_whole_keys()
    {
        using BpfMap map = Create(BpfMapType.Hash, 13, 3, 8);
        byte[] a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
        byte[] b = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14];
        Assert.Equal(0, map.UpdateElement(a, [1, 1, 1]));
        Assert.Equal(0, map.UpdateElement(b, [2, 2, 2]));
        var value = new byte[3];
        Assert.Equal(0, map.LookupElement(a, value));
        Assert.Equal(new byte[] { 1, 1, 1 }, value);
        Assert.Equal(0, map.LookupElement(b, value));
        Assert.Equal(new byte[] { 2, 2, 2 }, value);
    }

    [Fact]
    public void Per_cpu_hash_programs_write_their_cpu_copy_and_userspace_sees_all()
    {
        using BpfMap map = Create(BpfMapType.PerCpuHash, 4, 4, 8, cpus: 3);
        Assert.Equal(3 * 8, map.UserValueSize);
        try
        {
            BpfCpu.SetCurrentThreadSlot(1);
            uint key = 9;
            uint value = 0xaabbccdd;
            Assert.Equal(0, map.Update((byte*)&key, (byte*)&value, 0));
            uint* mine = (uint*)map.Lookup((byte*)&key);
            Assert.Equal(0xaabbccddu, *mine);
            var all = new byte[24];
            Assert.Equal(0, map.LookupElement(U32(9), all));
            Assert.Equal(0u, BitConverter.ToUInt32(all, 0));   // new element: other CPUs start at zero
            Assert.Equal(0xaabbccddu, BitConverter.ToUInt32(all, 8));
            Assert.Equal(0u, BitConverter.ToUInt32(all, 16));

            byte[] update = new byte[24];
            for (int cpu = 0; cpu < 3; cpu++)
            {
                BitConverter.GetBytes((uint)(10 + cpu)).CopyTo(update, cpu * 8);
            }
            Assert.Equal(0, map.UpdateElement(U32(9), update));
            Assert.Equal(11u, *(uint*)map.Lookup((byte*)&key)); // in place: the same pointer sees CPU 1's new value
            BpfCpu.SetCurrentThreadSlot(2);
            Assert.Equal(12u, *(uint*)map.Lookup((byte*)&key));
        }
        finally
        {
            BpfCpu.ClearCurrentThreadSlot();
        }
    }

    [Fact]
    public void Lru_evicts_keys_not_looked_up_first()
    {
        // The kernel's test_lru_sanity1 in miniature: fill, touch half, insert as many again.
        using BpfMap map = Create(BpfMapType.LruHash, 4, 8, 8);
        for (uint key = 1; key <= 8; key++)
        {
            Assert.Equal(0, Put(map, key, key));
        }
        for (uint key = 1; key <= 4; key++)
        {
            Assert.NotNull(Get(map, key));
        }
        for (uint key = 9; key <= 12; key++)
        {
            Assert.Equal(0, Put(map, key, key)); // never E2BIG: LRU evicts
        }
        for (uint key = 1; key <= 4; key++)
        {
            Assert.Equal(key, Read(map, key));
        }
        for (uint key = 5; key <= 8; key++)
        {
            Assert.Null(Read(map, key));
        }
        for (uint key = 9; key <= 12; key++)
        {
            Assert.Equal(key, Read(map, key));
        }
        Assert.Equal(8, ((HashMap)map).Count);
    }

    [Fact]
    public void Lru_keeps_kernel_flag_semantics()
    {
        using BpfMap map = Create(BpfMapType.LruHash, 4, 8, 2);
        Assert.Equal(BpfErrno.NoEntry, Put(map, 1, 1, BpfUpdateFlags.Exist));
        Assert.Equal(0, Put(map, 1, 1, BpfUpdateFlags.NoExist));
        Assert.Equal(BpfErrno.Exists, Put(map, 1, 1, BpfUpdateFlags.NoExist));
        for (uint key = 2; key < 100; key++)
        {
            Assert.Equal(0, Put(map, key, key));
        }
        Assert.Equal(2, ((HashMap)map).Count);
    }

    [Fact]
    public void Lru_per_cpu_hash_updates_in_place_and_evicts()
    {
        using BpfMap map = Create(BpfMapType.LruPerCpuHash, 4, 8, 4, cpus: 2);
        for (uint key = 0; key < 10; key++)
        {
            Assert.Equal(0, Put(map, key, key));
        }
        Assert.Equal(4, ((HashMap)map).Count);
        Assert.Equal(9UL, Get(map, 9));
    }

    [Fact]
    public void Concurrent_writers_and_readers_agree_on_the_final_contents()
    {
        using BpfMap map = Create(BpfMapType.Hash, 4, 8, 1024);
        for (uint key = 0; key < 16; key++)
        {
            Put(map, key, 0);
        }
        bool failed = false;
        var threads = new List<Thread>();
        for (int t = 0; t < 2; t++)
        {
            uint baseKey = 1000u + (uint)t * 200;
            threads.Add(new Thread(() =>
            {
                for (int round = 0; round < 200; round++)
                {
                    for (uint key = baseKey; key < baseKey + 100; key++)
                    {
                        failed |= Put(map, key, key) != 0 || Get(map, key) != key;
                    }
                    for (uint key = baseKey; key < baseKey + 100; key++)
                    {
                        failed |= Remove(map, key) != 0;
                    }
                }
            }));
        }
        threads.Add(new Thread(() =>
        {
            for (int i = 0; i < 100_000; i++)
            {
                uint key = (uint)(i % 16);
                ulong* value = (ulong*)map.Lookup((byte*)&key);
                if (value == null)
                {
                    failed = true; // stable keys must never disappear during churn elsewhere
                    return;
                }
                Interlocked.Increment(ref *value);
            }
        }));
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.False(failed);
        ulong total = 0;
        for (uint key = 0; key < 16; key++)
        {
            total += Get(map, key)!.Value;
        }
        Assert.Equal(100_000UL, total);
        Assert.Equal(16, ((HashMap)map).Count);
    }
}
