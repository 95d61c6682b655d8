using System.Runtime.CompilerServices;

namespace Bpf.Native.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY (kernel/bpf/arraymap.c): max_entries values of
/// round_up(value_size, 8) bytes, preallocated and zeroed, key = u32 index. Values are updated in place (a reader
/// may see a value half-written, as in the kernel); elements cannot be deleted. Per-CPU arrays hold one copy per
/// CPU, element-major: element i's copy for CPU c is at (i * cpus + c) * stride.
/// </summary>
public sealed unsafe class ArrayMap : BpfMap
{
    private readonly byte* _values;
    private readonly int _stride;
    private readonly bool _perCpu;

    internal ArrayMap(MapDefinition definition, MapMemory memory)
        : base(definition, memory)
    {
        _values = memory.Base + MapHeader.DataOffset;
        _stride = definition.ValueStride;
        _perCpu = definition.Type == BpfMapType.PerCpuArray;
        Descriptor->Values = _values;
    }

    /// <summary>The first value: element i is at <c>ValuesBase + i * ValueStride</c> (non-per-CPU arrays).</summary>
    public byte* ValuesBase => _values;

    public int ValueStride => _stride;

    public override int UserValueSize => _perCpu ? _stride * CpuCount : (int)ValueSize;

    internal static long RegionBytes(MapDefinition definition) =>
        MapHeader.DataOffset + RoundToPage((long)definition.MaxEntries * definition.CpuCount * definition.ValueStride);

    internal static long RoundToPage(long bytes) => (bytes + MapMemory.PageBytes - 1) & ~(long)(MapMemory.PageBytes - 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override byte* Lookup(byte* key)
    {
        uint index = Unsafe.ReadUnaligned<uint>(key);
        if (index >= MaxEntries)
        {
            return null;
        }
        return _perCpu
            ? _values + ((long)index * CpuCount + BpfCpu.Current(CpuCount)) * _stride
            : _values + (long)index * _stride;
    }

    public override int Update(byte* key, byte* value, ulong flags)
    {
        int check = CheckUpdate(key, flags, out uint index);
        if (check != 0)
        {
            return check;
        }
        byte* target = _perCpu
            ? _values + ((long)index * CpuCount + BpfCpu.Current(CpuCount)) * _stride
            : _values + (long)index * _stride;
        Unsafe.CopyBlockUnaligned(target, value, ValueSize);
        return 0;
    }

    /// <summary>Arrays cannot delete (array_map_delete_elem: -EINVAL).</summary>
    public override int Delete(byte* key) => BpfErrno.Invalid;

    public override ulong DirectValueAddress(uint offset)
    {
        if (_perCpu || MaxEntries != 1 || offset >= ValueSize)
        {
            throw new InvalidOperationException($"map '{Name}': offset {offset} has no direct value address");
        }
        return (ulong)(_values + offset);
    }

    private protected override int UserLookup(byte* key, byte* value)
    {
        uint index = Unsafe.ReadUnaligned<uint>(key);
        if (index >= MaxEntries)
        {
            return BpfErrno.NoEntry;
        }
        if (!_perCpu)
        {
            Unsafe.CopyBlockUnaligned(value, _values + (long)index * _stride, ValueSize);
            return 0;
        }
        Unsafe.CopyBlockUnaligned(value, _values + (long)index * CpuCount * _stride, (uint)(CpuCount * _stride));
        return 0;
    }

    private protected override int UserUpdate(byte* key, byte* value, ulong flags)
    {
        int check = CheckUpdate(key, flags, out uint index);
        if (check != 0)
        {
            return check;
        }
        if (!_perCpu)
        {
            Unsafe.CopyBlockUnaligned(_values + (long)index * _stride, value, ValueSize);
            return 0;
        }
        // bpf_percpu_array_update: every CPU's copy from the caller's round_up(value_size, 8) slots.
        for (int cpu = 0; cpu < CpuCount; cpu++)
        {
            Unsafe.CopyBlockUnaligned(_values + ((long)index * CpuCount + cpu) * _stride, value + cpu * _stride, ValueSize);
        }
        return 0;
    }

    private protected override int UserGetNextKey(byte* key, byte* nextKey) => ArrayGetNextKey(key, nextKey);

    /// <summary>array_map_update_elem's checks, in its order.</summary>
    private int CheckUpdate(byte* key, ulong flags, out uint index)
    {
        index = Unsafe.ReadUnaligned<uint>(key);
        if ((flags & ~BpfUpdateFlags.Lock) > BpfUpdateFlags.Exist)
        {
            return BpfErrno.Invalid;
        }
        if (index >= MaxEntries)
        {
            return BpfErrno.TooBig;
        }
        if ((flags & BpfUpdateFlags.NoExist) != 0)
        {
            return BpfErrno.Exists;
        }
        if ((flags & BpfUpdateFlags.Lock) != 0)
        {
            return BpfErrno.Invalid; // no bpf_spin_lock in values
        }
        return 0;
    }
}
