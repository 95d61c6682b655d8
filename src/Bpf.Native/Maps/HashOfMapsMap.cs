namespace Bpf.Native.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH_OF_MAPS: a hash table whose values are inner maps. The table stores each inner map's handle;
/// a program's lookup returns that handle (the inner map), userspace reads and writes inner map ids (u32).
/// Process-local, like <see cref="ArrayOfMapsMap"/>.
/// </summary>
public sealed unsafe class HashOfMapsMap : BpfMap
{
    private readonly HashTable _table;

    internal HashOfMapsMap(MapDefinition definition, MapMemory memory, MapDefinition innerTemplate)
        : base(definition, memory)
    {
        InnerTemplate = innerTemplate;
        _table = new HashTable(TableDefinition(definition), memory.Base, perCpu: false, lru: false);
        _table.Initialise();
    }

    public MapDefinition InnerTemplate { get; }

    /// <summary>The table holds native handles (8 bytes), whatever the 4-byte id values userspace sees.</summary>
    private static MapDefinition TableDefinition(MapDefinition definition) => definition with { ValueSize = 8, Type = BpfMapType.Hash };

    internal static long RegionBytes(MapDefinition definition) => HashTable.RegionBytes(TableDefinition(definition), false, false);

    public override byte* Lookup(byte* key)
    {
        byte* slot = _table.LookupValue(key);
        return slot == null ? null : (byte*)Volatile.Read(ref *(nint*)slot);
    }

    public override int Update(byte* key, byte* value, ulong flags) => BpfErrno.NotSupported;

    public override int Delete(byte* key) => BpfErrno.NotSupported;

    /// <summary>Puts <paramref name="inner"/> under <paramref name="key"/>.</summary>
    public int SetInnerMap(ReadOnlySpan<byte> key, BpfMap inner, ulong flags = BpfUpdateFlags.Any)
    {
        if (key.Length != (int)KeySize)
        {
            throw new ArgumentException($"map '{Name}': key is {key.Length} bytes, the map's keys are {KeySize}");
        }
        if (!MapInMap.Fits(InnerTemplate, inner))
        {
            return BpfErrno.Invalid;
        }
        nint handle = inner.Handle;
        fixed (byte* k = key)
        {
            return _table.Update(k, (byte*)&handle, flags, allCpus: true);
        }
    }

    private protected override int UserLookup(byte* key, byte* value)
    {
        BpfMap? inner = FromHandle((nint)Lookup(key));
        if (inner is null)
        {
            return BpfErrno.NoEntry;
        }
        *(uint*)value = (uint)inner.Id;
        return 0;
    }

    private protected override int UserUpdate(byte* key, byte* value, ulong flags)
    {
        BpfMap? inner = FromId((int)*(uint*)value);
        if (inner is null || !MapInMap.Fits(InnerTemplate, inner))
        {
            return BpfErrno.Invalid;
        }
        nint handle = inner.Handle;
        return _table.Update(key, (byte*)&handle, flags, allCpus: true);
    }

    private protected override int UserDelete(byte* key) => _table.Delete(key);

    private protected override int UserGetNextKey(byte* key, byte* nextKey) => _table.GetNextKey(key, nextKey);
}
