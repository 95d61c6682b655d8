using System.Numerics;
using System.Runtime.CompilerServices;

namespace Bpf.Native.Maps;

/// <summary>
/// The hash table behind hash, percpu_hash, lru_hash, lru_percpu_hash and hash_of_maps, laid out in map memory with
/// offsets only, so several processes can use one table at once (kernel/bpf/hashtab.c is the model):
/// <list type="bullet">
/// <item>buckets = roundup_pow_of_two(max_entries), each a lock word and a list head; elements preallocated, each a
/// header (next, free-list next, hash, state, LRU reference bit), the key and the value(s).</item>
/// <item>Lookups take no lock. Lists end in a "nulls" marker naming their bucket (~bucket), as hlist_nulls does:
/// an element deleted and reused in another bucket while a reader stands on it leads the reader to the wrong
/// marker, and it restarts. Every index read from memory is range-checked and every walk bounded, so a reader never
/// faults whatever another process writes.</item>
/// <item>Updates take the bucket's lock. A new or replacing element is filled completely before it is published
/// at the head of the list; the element it replaces is unlinked after, so a reader sees the old value or the new
/// one, never a mixture (per-CPU values are updated in place, as the kernel does). Freed elements keep their next
/// link (the free list has its own), so a reader standing on one can walk on.</item>
/// <item>LRU maps evict with a clock (second chance) over the elements: a lookup sets the reference bit, eviction
/// clears bits until it finds an unreferenced element. An approximation of the kernel's active/inactive lists.</item>
/// </list>
/// Lock order: LRU lock, then a bucket lock, then the free-list lock. No path takes two bucket locks.
/// </summary>
internal sealed unsafe class HashTable
{
    private const int NextOffset = 0;
    private const int FreeNextOffset = 4;
    private const int HashOffset = 8;
    private const int StateOffset = 12;
    private const int ReferenceOffset = 16;
    private const int ElementHeaderBytes = 24;

    private const int StateFree = 0;
    private const int StateLinked = 1;
    private const int StateInFlight = 2;

    // Control block, from the start of map memory.
    private const int FreeLockOffset = MapHeader.ControlOffset;
    private const int FreeHeadOffset = MapHeader.ControlOffset + 4;
    private const int CountOffset = MapHeader.ControlOffset + 8;
    private const int LruLockOffset = MapHeader.ControlOffset + 12;
    private const int LruHandOffset = MapHeader.ControlOffset + 16;
    private const int CapacityOffset = MapHeader.ControlOffset + 20;
    private const int BucketCountOffset = MapHeader.ControlOffset + 24;

    private const int LookupRetries = 4;

    /// <summary>Spare elements for concurrent replacements; fixed (not per CPU) so every process computes one layout.</summary>
    private const int ReplacementSpares = 64;

    private readonly byte* _memory;
    private readonly byte* _buckets;
    private readonly byte* _elements;
    private readonly int _capacity;
    private readonly uint _bucketMask;
    private readonly int _keySize;
    private readonly int _valueSize;
    private readonly int _valueStride;
    private readonly int _valueOffset;
    private readonly int _elementStride;
    private readonly int _cpuCount;
    private readonly uint _maxEntries;
    private readonly uint _seed;
    private readonly bool _perCpu;
    private readonly bool _lru;

    public HashTable(MapDefinition definition, byte* memory, bool perCpu, bool lru)
    {
        _memory = memory;
        _perCpu = perCpu;
        _lru = lru;
        _keySize = (int)definition.KeySize;
        _valueSize = (int)definition.ValueSize;
        _valueStride = definition.ValueStride;
        _cpuCount = definition.CpuCount;
        _maxEntries = definition.MaxEntries;
        _seed = ((MapHeader*)memory)->HashSeed;
        _capacity = Capacity(definition, lru);
        uint buckets = BucketCount(definition);
        _bucketMask = buckets - 1;
        _valueOffset = ElementHeaderBytes + definition.KeyStride;
        _elementStride = ElementStride(definition, perCpu);
        _buckets = memory + MapHeader.DataOffset;
        _elements = _buckets + ElementsOffset(buckets);
    }

    public int Count => Volatile.Read(ref *(int*)(_memory + CountOffset));

    /// <summary>Elements preallocated: max_entries, plus spares for replacements of existing keys (the kernel keeps
    /// one extra element per CPU for this) in plain hash maps. LRU maps evict instead; per-CPU maps update in place.</summary>
    internal static int Capacity(MapDefinition definition, bool lru) =>
        (int)definition.MaxEntries + (lru || IsPerCpu(definition.Type) ? 0 : ReplacementSpares);

    internal static uint BucketCount(MapDefinition definition) => BitOperations.RoundUpToPowerOf2(Math.Max(definition.MaxEntries, 1));

    private static bool IsPerCpu(BpfMapType type) => type is BpfMapType.PerCpuHash or BpfMapType.LruPerCpuHash;

    private static long ElementsOffset(uint buckets) => ((long)buckets * 8 + 63) & ~63L;

    private static int ElementStride(MapDefinition definition, bool perCpu) =>
        ElementHeaderBytes + definition.KeyStride + (perCpu ? definition.CpuCount * definition.ValueStride : definition.ValueStride);

    internal static long RegionBytes(MapDefinition definition, bool perCpu, bool lru) =>
        MapHeader.DataOffset + ArrayMap.RoundToPage(
            ElementsOffset(BucketCount(definition)) + (long)Capacity(definition, lru) * ElementStride(definition, perCpu));

    /// <summary>Checks a control block another process wrote against this process's idea of the layout.</summary>
    internal static bool ControlMatches(MapDefinition definition, byte* memory, bool lru) =>
        *(int*)(memory + CapacityOffset) == Capacity(definition, lru)
        && *(uint*)(memory + BucketCountOffset) == BucketCount(definition);

    /// <summary>Lays out an empty table in zeroed memory: every bucket empty, every element on the free list.</summary>
    public void Initialise()
    {
        *(int*)(_memory + CapacityOffset) = _capacity;
        *(uint*)(_memory + BucketCountOffset) = _bucketMask + 1;
        for (uint bucket = 0; bucket <= _bucketMask; bucket++)
        {
            *BucketHead(bucket) = ~(int)bucket;
        }
        for (int i = 0; i < _capacity; i++)
        {
            byte* element = Element(i);
            *(int*)(element + FreeNextOffset) = i + 1 < _capacity ? i + 1 : -1;
            *(int*)(element + NextOffset) = -1;
        }
        *(int*)(_memory + FreeHeadOffset) = _capacity > 0 ? 0 : -1;
    }

    /// <summary>The element's first value byte (CPU 0's copy for per-CPU maps), or null. Lock-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* LookupValue(byte* key)
    {
        byte* element = FindElement(key, KeyHash.Compute(key, _keySize, _seed));
        if (element == null)
        {
            return null;
        }
        if (_lru && *(int*)(element + ReferenceOffset) == 0)
        {
            *(int*)(element + ReferenceOffset) = 1; // bpf_lru_node_set_ref: write only when clear
        }
        return element + _valueOffset;
    }

    /// <summary>Pointer to this CPU's copy of a per-CPU value found by <see cref="LookupValue"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* ThisCpu(byte* value) => value + BpfCpu.Current(_cpuCount) * _valueStride;

    private byte* FindElement(byte* key, uint hash)
    {
        uint bucket = hash & _bucketMask;
        int* head = BucketHead(bucket);
        for (int attempt = 0; attempt < LookupRetries; attempt++)
        {
            int index = Volatile.Read(ref *head);
            int steps = 0;
            while (index >= 0)
            {
                if (index >= _capacity || ++steps > _capacity)
                {
                    return null;
                }
                byte* element = Element(index);
                if (*(uint*)(element + HashOffset) == hash && KeysEqual(element + ElementHeaderBytes, key))
                {
                    return element;
                }
                index = Volatile.Read(ref *(int*)(element + NextOffset));
            }
            if (index == ~(int)bucket)
            {
                return null;
            }
            // Ended in another bucket's list: the element we stood on moved. Walk again (hlist_nulls).
        }
        return null;
    }

    /// <summary>
    /// htab_map_update_elem and its per-CPU and LRU variants. <paramref name="allCpus"/>: the value holds every CPU's
    /// copy (userspace); otherwise one value, which per-CPU maps store in this CPU's copy.
    /// </summary>
    public int Update(byte* key, byte* value, ulong flags, bool allCpus)
    {
        if ((flags & ~BpfUpdateFlags.Lock) > BpfUpdateFlags.Exist || (flags & BpfUpdateFlags.Lock) != 0)
        {
            return BpfErrno.Invalid;
        }
        uint hash = KeyHash.Compute(key, _keySize, _seed);
        uint bucket = hash & _bucketMask;

        // LRU maps take their new element before the bucket lock (it may evict from another bucket).
        int fresh = -1;
        if (_lru && (!_perCpu || flags != BpfUpdateFlags.Exist))
        {
            fresh = AllocateLru();
            if (fresh < 0)
            {
                return BpfErrno.NoMemory;
            }
        }

        int* bucketLock = BucketLock(bucket);
        SharedSpinLock.Enter(bucketLock);
        int old = FindLocked(bucket, key, hash);
        int result = CheckFlags(old, flags);
        if (result != 0)
        {
            SharedSpinLock.Exit(bucketLock);
            if (fresh >= 0)
            {
                PushFree(fresh);
            }
            return result;
        }
        if (_perCpu && old >= 0)
        {
            WriteValues(Element(old), value, allCpus);
            SharedSpinLock.Exit(bucketLock);
            if (fresh >= 0)
            {
                PushFree(fresh);
            }
            return 0;
        }
        if (!_lru)
        {
            if (old < 0 && Interlocked.Increment(ref *(int*)(_memory + CountOffset)) > (int)_maxEntries)
            {
                Interlocked.Decrement(ref *(int*)(_memory + CountOffset));
                SharedSpinLock.Exit(bucketLock);
                return BpfErrno.TooBig;
            }
            fresh = PopFree();
            if (fresh < 0)
            {
                if (old < 0)
                {
                    Interlocked.Decrement(ref *(int*)(_memory + CountOffset));
                }
                SharedSpinLock.Exit(bucketLock);
                return BpfErrno.TooBig;
            }
        }
        else if (old < 0)
        {
            Interlocked.Increment(ref *(int*)(_memory + CountOffset));
        }

        byte* element = Element(fresh);
        *(uint*)(element + HashOffset) = hash;
        *(int*)(element + ReferenceOffset) = 0;
        Unsafe.CopyBlockUnaligned(element + ElementHeaderBytes, key, (uint)_keySize);
        if (_perCpu && !allCpus)
        {
            // pcpu_init_value: this CPU gets the value, the others start at zero.
            Unsafe.InitBlockUnaligned(element + _valueOffset, 0, (uint)(_cpuCount * _valueStride));
        }
        WriteValues(element, value, allCpus);

        // Publish: the element is complete before the release store makes it reachable.
        int* head = BucketHead(bucket);
        *(int*)(element + NextOffset) = *head;
        *(int*)(element + StateOffset) = StateLinked;
        Volatile.Write(ref *head, fresh);
        if (old >= 0)
        {
            Unlink(bucket, old);
        }
        SharedSpinLock.Exit(bucketLock);
        if (old >= 0)
        {
            PushFree(old);
        }
        return 0;
    }

    public int Delete(byte* key) => Remove(key, null, false);

    /// <summary>Copies the value out (all CPUs' copies when <paramref name="allCpus"/>) and deletes, atomically.</summary>
    public int LookupAndDelete(byte* key, byte* value, bool allCpus) => Remove(key, value, allCpus);

    private int Remove(byte* key, byte* valueOut, bool allCpus)
    {
        uint hash = KeyHash.Compute(key, _keySize, _seed);
        uint bucket = hash & _bucketMask;
        int* bucketLock = BucketLock(bucket);
        SharedSpinLock.Enter(bucketLock);
        int old = FindLocked(bucket, key, hash);
        if (old < 0)
        {
            SharedSpinLock.Exit(bucketLock);
            return BpfErrno.NoEntry;
        }
        if (valueOut != null)
        {
            ReadValues(Element(old) + _valueOffset, valueOut, allCpus);
        }
        Unlink(bucket, old);
        Interlocked.Decrement(ref *(int*)(_memory + CountOffset));
        SharedSpinLock.Exit(bucketLock);
        PushFree(old);
        return 0;
    }

    /// <summary>Copies a found value out: one value, or every CPU's copy at round_up(value_size, 8) spacing.</summary>
    public void ReadValues(byte* value, byte* destination, bool allCpus)
    {
        if (!_perCpu)
        {
            Unsafe.CopyBlockUnaligned(destination, value, (uint)_valueSize);
            return;
        }
        if (allCpus)
        {
            Unsafe.CopyBlockUnaligned(destination, value, (uint)(_cpuCount * _valueStride));
            return;
        }
        Unsafe.CopyBlockUnaligned(destination, ThisCpu(value), (uint)_valueSize);
    }

    /// <summary>htab_map_get_next_key: the next key in bucket order; a missing key restarts at the first.</summary>
    public int GetNextKey(byte* key, byte* nextKey)
    {
        uint startBucket = 0;
        if (key != null)
        {
            uint hash = KeyHash.Compute(key, _keySize, _seed);
            byte* element = FindElement(key, hash);
            if (element != null)
            {
                int next = Volatile.Read(ref *(int*)(element + NextOffset));
                if (next >= 0 && next < _capacity)
                {
                    Unsafe.CopyBlockUnaligned(nextKey, Element(next) + ElementHeaderBytes, (uint)_keySize);
                    return 0;
                }
                startBucket = (hash & _bucketMask) + 1;
            }
        }
        for (uint bucket = startBucket; bucket <= _bucketMask; bucket++)
        {
            int index = Volatile.Read(ref *BucketHead(bucket));
            if (index >= 0 && index < _capacity)
            {
                Unsafe.CopyBlockUnaligned(nextKey, Element(index) + ElementHeaderBytes, (uint)_keySize);
                return 0;
            }
        }
        return BpfErrno.NoEntry;
    }

    private void WriteValues(byte* element, byte* value, bool allCpus)
    {
        byte* values = element + _valueOffset;
        if (!_perCpu)
        {
            Unsafe.CopyBlockUnaligned(values, value, (uint)_valueSize);
        }
        else if (allCpus)
        {
            for (int cpu = 0; cpu < _cpuCount; cpu++)
            {
                Unsafe.CopyBlockUnaligned(values + cpu * _valueStride, value + cpu * _valueStride, (uint)_valueSize);
            }
        }
        else
        {
            Unsafe.CopyBlockUnaligned(ThisCpu(values), value, (uint)_valueSize);
        }
    }

    private static int CheckFlags(int old, ulong flags)
    {
        if (old >= 0 && flags == BpfUpdateFlags.NoExist)
        {
            return BpfErrno.Exists;
        }
        if (old < 0 && flags == BpfUpdateFlags.Exist)
        {
            return BpfErrno.NoEntry;
        }
        return 0;
    }

    /// <summary>Finds a key in a bucket whose lock the caller holds; -1 if absent.</summary>
    private int FindLocked(uint bucket, byte* key, uint hash)
    {
        int index = *BucketHead(bucket);
        for (int steps = 0; index >= 0 && index < _capacity && steps <= _capacity; steps++)
        {
            byte* element = Element(index);
            if (*(uint*)(element + HashOffset) == hash && KeysEqual(element + ElementHeaderBytes, key))
            {
                return index;
            }
            index = *(int*)(element + NextOffset);
        }
        return -1;
    }

    /// <summary>Removes an element from its bucket's list (caller holds the bucket lock). Its own next link stays.</summary>
    private bool Unlink(uint bucket, int target)
    {
        int* link = BucketHead(bucket);
        for (int steps = 0; steps <= _capacity; steps++)
        {
            int index = *link;
            if (index < 0 || index >= _capacity)
            {
                return false;
            }
            byte* element = Element(index);
            if (index == target)
            {
                Volatile.Write(ref *link, *(int*)(element + NextOffset));
                *(int*)(element + StateOffset) = StateInFlight;
                return true;
            }
            link = (int*)(element + NextOffset);
        }
        return false;
    }

    private int PopFree()
    {
        int* freeLock = (int*)(_memory + FreeLockOffset);
        int* freeHead = (int*)(_memory + FreeHeadOffset);
        SharedSpinLock.Enter(freeLock);
        int index = *freeHead;
        if (index >= 0 && index < _capacity)
        {
            byte* element = Element(index);
            *freeHead = *(int*)(element + FreeNextOffset);
            *(int*)(element + StateOffset) = StateInFlight;
        }
        else
        {
            index = -1;
        }
        SharedSpinLock.Exit(freeLock);
        return index;
    }

    private void PushFree(int index)
    {
        int* freeLock = (int*)(_memory + FreeLockOffset);
        int* freeHead = (int*)(_memory + FreeHeadOffset);
        byte* element = Element(index);
        SharedSpinLock.Enter(freeLock);
        *(int*)(element + StateOffset) = StateFree;
        *(int*)(element + FreeNextOffset) = *freeHead;
        *freeHead = index;
        SharedSpinLock.Exit(freeLock);
    }

    /// <summary>A free element, or an evicted one when none is free (prealloc_lru_pop).</summary>
    private int AllocateLru()
    {
        int index = PopFree();
        return index >= 0 ? index : Evict();
    }

    private int Evict()
    {
        int* lruLock = (int*)(_memory + LruLockOffset);
        int* hand = (int*)(_memory + LruHandOffset);
        SharedSpinLock.Enter(lruLock);
        try
        {
            for (int steps = 0; steps < 2 * _capacity + 1; steps++)
            {
                int index = (int)((uint)*hand % (uint)_capacity);
                *hand = index + 1;
                byte* element = Element(index);
                if (Volatile.Read(ref *(int*)(element + StateOffset)) != StateLinked)
                {
                    continue;
                }
                if (*(int*)(element + ReferenceOffset) != 0)
                {
                    *(int*)(element + ReferenceOffset) = 0; // second chance
                    continue;
                }
                uint bucket = *(uint*)(element + HashOffset) & _bucketMask;
                int* bucketLock = BucketLock(bucket);
                SharedSpinLock.Enter(bucketLock);
                bool taken = *(int*)(element + StateOffset) == StateLinked && Unlink(bucket, index);
                if (taken)
                {
                    Interlocked.Decrement(ref *(int*)(_memory + CountOffset));
                }
                SharedSpinLock.Exit(bucketLock);
                if (taken)
                {
                    return index;
                }
            }
            return -1;
        }
        finally
        {
            SharedSpinLock.Exit(lruLock);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool KeysEqual(byte* a, byte* b) => _keySize switch
    {
        4 => Unsafe.ReadUnaligned<uint>(a) == Unsafe.ReadUnaligned<uint>(b),
        8 => Unsafe.ReadUnaligned<ulong>(a) == Unsafe.ReadUnaligned<ulong>(b),
        _ => new ReadOnlySpan<byte>(a, _keySize).SequenceEqual(new ReadOnlySpan<byte>(b, _keySize)),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* Element(int index) => _elements + (long)index * _elementStride;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int* BucketLock(uint bucket) => (int*)(_buckets + bucket * 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int* BucketHead(uint bucket) => (int*)(_buckets + bucket * 8 + 4);
}
