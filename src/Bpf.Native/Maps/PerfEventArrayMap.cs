namespace Bpf.Native.Maps;

/// <summary>
/// BPF_MAP_TYPE_PERF_EVENT_ARRAY: one slot per CPU (max_entries defaults to the possible CPUs, as libbpf does),
/// each an optional <see cref="PerfEventRing"/> a reader opened (where the kernel holds a perf event fd).
/// bpf_perf_event_output writes to slot <c>flags &amp; BPF_F_INDEX_MASK</c>, or this CPU's for BPF_F_CURRENT_CPU.
/// Rings are process-local.
/// </summary>
public sealed unsafe class PerfEventArrayMap : BpfMap
{
    public const ulong IndexMask = 0xffffffff;
    public const ulong CurrentCpu = IndexMask;
    public const ulong ContextLengthMask = 0xfffffUL << 32;

    private readonly PerfEventRing?[] _rings;

    internal PerfEventArrayMap(MapDefinition definition, MapMemory memory)
        : base(definition, memory)
    {
        _rings = new PerfEventRing?[definition.MaxEntries];
    }

    internal static long RegionBytes(MapDefinition definition) => MapHeader.DataOffset;

    /// <summary>Attaches a reader's ring to a slot (the kernel's map update with a perf event fd).</summary>
    public void SetRing(uint index, PerfEventRing? ring)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, (uint)_rings.Length);
        Volatile.Write(ref _rings[index], ring);
    }

    /// <summary>bpf_perf_event_output's map part (__bpf_perf_event_output): -E2BIG, -ENOENT, -ENOSPC or 0.</summary>
    public int Output(ulong flags, byte* data, ulong size)
    {
        if ((flags & ~(IndexMask | ContextLengthMask)) != 0)
        {
            return BpfErrno.Invalid;
        }
        ulong index = flags & IndexMask;
        if (index == CurrentCpu)
        {
            index = (ulong)BpfCpu.Current(BpfCpu.PossibleCount);
        }
        if (index >= (ulong)_rings.Length)
        {
            return BpfErrno.TooBig;
        }
        PerfEventRing? ring = Volatile.Read(ref _rings[index]);
        if (ring is null)
        {
            return BpfErrno.NoEntry;
        }
        return size > uint.MaxValue ? BpfErrno.TooBig : ring.Write(data, (uint)size);
    }

    public override byte* Lookup(byte* key) => null;

    public override int Update(byte* key, byte* value, ulong flags) => BpfErrno.NotSupported;

    public override int Delete(byte* key) => BpfErrno.NotSupported;

    private protected override int UserLookup(byte* key, byte* value) => BpfErrno.NotSupported;

    private protected override int UserUpdate(byte* key, byte* value, ulong flags) => BpfErrno.NotSupported;

    /// <summary>fd_array_map_delete_elem: -E2BIG past the end, -ENOENT for an empty slot.</summary>
    private protected override int UserDelete(byte* key) => DeleteSlot(_rings, key);

    // perf_event_array_map_ops walks keys as every array does (array_map_get_next_key).
    private protected override int UserGetNextKey(byte* key, byte* nextKey) => ArrayGetNextKey(key, nextKey);
}
