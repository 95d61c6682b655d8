namespace Bpf.Native.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH over one <see cref="HashTable"/>. Kernel results:
/// BPF_NOEXIST on a present key -EEXIST, BPF_EXIST on a missing key -ENOENT, a new key in a full (non-LRU) map
/// -E2BIG, deleting a missing key -ENOENT; LRU maps evict the least recently used instead of failing.
/// </summary>
public sealed unsafe class HashMap : BpfMap
{
    private readonly HashTable _table;
    private readonly bool _perCpu;

    internal HashMap(MapDefinition definition, MapMemory memory, bool initialise)
        : base(definition, memory)
    {
        _perCpu = IsPerCpu(definition.Type);
        _table = new HashTable(definition, memory.Base, _perCpu, IsLru(definition.Type));
        if (initialise)
        {
            _table.Initialise();
        }
    }

    /// <summary>Elements in the map now.</summary>
    public int Count => _table.Count;

    public override int UserValueSize => _perCpu ? Definition.ValueStride * CpuCount : (int)ValueSize;

    internal static bool IsPerCpu(BpfMapType type) => type is BpfMapType.PerCpuHash or BpfMapType.LruPerCpuHash;

    internal static bool IsLru(BpfMapType type) => type is BpfMapType.LruHash or BpfMapType.LruPerCpuHash;

    internal static long RegionBytes(MapDefinition definition) =>
        HashTable.RegionBytes(definition, IsPerCpu(definition.Type), IsLru(definition.Type));

    public override byte* Lookup(byte* key)
    {
        byte* value = _table.LookupValue(key);
        return value == null || !_perCpu ? value : _table.ThisCpu(value);
    }

    public override int Update(byte* key, byte* value, ulong flags) => _table.Update(key, value, flags, allCpus: false);

    public override int Delete(byte* key) => _table.Delete(key);

    private protected override int UserLookup(byte* key, byte* value)
    {
        byte* found = _table.LookupValue(key);
        if (found == null)
        {
            return BpfErrno.NoEntry;
        }
        _table.ReadValues(found, value, allCpus: true);
        return 0;
    }

    private protected override int UserUpdate(byte* key, byte* value, ulong flags) =>
        _table.Update(key, value, flags, allCpus: true);

    private protected override int UserLookupAndDelete(byte* key, byte* value) =>
        _table.LookupAndDelete(key, value, allCpus: true);

    private protected override int UserGetNextKey(byte* key, byte* nextKey) => _table.GetNextKey(key, nextKey);
}
