using System.Runtime.CompilerServices;

namespace Bpf.Native.Maps;

/// <summary>
/// BPF_MAP_TYPE_PROG_ARRAY: slots holding programs for bpf_tail_call. The slot type is <c>object</c> so this
/// layer does not depend on the engine: the tail call helper casts what <see cref="GetProgram"/> returns to the
/// engine's program type (a null or foreign object is an empty slot, and the tail call falls through, as in the
/// kernel). Programs are process-local objects, so a prog_array pinned by name is shared within the process only.
/// Programs cannot look up or update it (the kernel's verifier forbids it); userspace sets slots by index.
/// </summary>
public sealed unsafe class ProgArrayMap : BpfMap
{
    private readonly object?[] _programs;

    internal ProgArrayMap(MapDefinition definition, MapMemory memory)
        : base(definition, memory)
    {
        _programs = new object?[definition.MaxEntries];
    }

    internal static long RegionBytes(MapDefinition definition) => MapHeader.DataOffset;

    /// <summary>The program in slot <paramref name="index"/>, or null (out of range or empty). Allocation-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? GetProgram(uint index) => index < (uint)_programs.Length ? Volatile.Read(ref _programs[index]) : null;

    /// <summary>Puts a program in a slot (null empties it); -E2BIG past max_entries.</summary>
    public int SetProgram(uint index, object? program)
    {
        if (index >= (uint)_programs.Length)
        {
            return BpfErrno.TooBig;
        }
        Volatile.Write(ref _programs[index], program);
        return 0;
    }

    public override byte* Lookup(byte* key) => null;

    public override int Update(byte* key, byte* value, ulong flags) => BpfErrno.NotSupported;

    public override int Delete(byte* key) => BpfErrno.NotSupported;

    private protected override int UserLookup(byte* key, byte* value) => BpfErrno.NotSupported;

    private protected override int UserUpdate(byte* key, byte* value, ulong flags) => BpfErrno.NotSupported;

    /// <summary>fd_array_map_delete_elem: -E2BIG past the end, -ENOENT for an empty slot.</summary>
    private protected override int UserDelete(byte* key) => DeleteSlot(_programs, key);

    private protected override int UserGetNextKey(byte* key, byte* nextKey) => ArrayGetNextKey(key, nextKey);
}
