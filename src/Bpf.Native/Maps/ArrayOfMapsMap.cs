using System.Runtime.CompilerServices;

namespace Bpf.Native.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY_OF_MAPS: slots holding inner maps that fit a template. A program's lookup returns the inner
/// map itself (its handle, usable as the map argument of the next helper), as array_of_map_lookup_elem does.
/// From userspace a slot's value is the inner map's id (u32), where the kernel takes an fd and returns an id.
/// Inner maps are process-local objects, so the outer map is not shared with other processes.
/// </summary>
public sealed unsafe class ArrayOfMapsMap : BpfMap
{
    private readonly nint* _handles;
    private readonly BpfMap?[] _inner;

    internal ArrayOfMapsMap(MapDefinition definition, MapMemory memory, MapDefinition innerTemplate)
        : base(definition, memory)
    {
        InnerTemplate = innerTemplate;
        _handles = (nint*)(memory.Base + MapHeader.DataOffset);
        _inner = new BpfMap?[definition.MaxEntries];
    }

    public MapDefinition InnerTemplate { get; }

    internal static long RegionBytes(MapDefinition definition) =>
        MapHeader.DataOffset + ArrayMap.RoundToPage((long)definition.MaxEntries * sizeof(nint));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override byte* Lookup(byte* key)
    {
        uint index = Unsafe.ReadUnaligned<uint>(key);
        return index < MaxEntries ? (byte*)Volatile.Read(ref _handles[index]) : null;
    }

    public override int Update(byte* key, byte* value, ulong flags) => BpfErrno.NotSupported;

    public override int Delete(byte* key) => BpfErrno.NotSupported;

    /// <summary>Puts <paramref name="inner"/> in slot <paramref name="index"/> (null empties it).</summary>
    public int SetInnerMap(uint index, BpfMap? inner)
    {
        if (index >= MaxEntries)
        {
            return BpfErrno.TooBig;
        }
        if (inner is not null && !MapInMap.Fits(InnerTemplate, inner))
        {
            return BpfErrno.Invalid;
        }
        _inner[index] = inner;
        Volatile.Write(ref _handles[index], inner?.Handle ?? 0);
        return 0;
    }

    public BpfMap? GetInnerMap(uint index) => index < MaxEntries ? _inner[index] : null;

    private protected override int UserLookup(byte* key, byte* value)
    {
        BpfMap? inner = GetInnerMap(*(uint*)key);
        if (inner is null)
        {
            return BpfErrno.NoEntry;
        }
        *(uint*)value = (uint)inner.Id;
        return 0;
    }

    private protected override int UserUpdate(byte* key, byte* value, ulong flags)
    {
        if (flags > BpfUpdateFlags.Exist)
        {
            return BpfErrno.Invalid;
        }
        BpfMap? inner = FromId((int)*(uint*)value);
        return inner is null ? BpfErrno.Invalid : SetInnerMap(*(uint*)key, inner);
    }

    private protected override int UserDelete(byte* key)
    {
        uint index = *(uint*)key;
        if (index >= MaxEntries)
        {
            return BpfErrno.TooBig;
        }
        if (_inner[index] is null)
        {
            return BpfErrno.NoEntry;
        }
        return SetInnerMap(index, null);
    }

    private protected override int UserGetNextKey(byte* key, byte* nextKey) => ArrayGetNextKey(key, nextKey);
}
