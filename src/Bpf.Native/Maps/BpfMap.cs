using System.Runtime.CompilerServices;

namespace Bpf.Native.Maps;

/// <summary>
/// A live map. Two faces, as in the kernel:
/// <list type="bullet">
/// <item>for programs (what helpers and the JIT call): native pointers, no allocation, kernel results.
/// <see cref="Lookup"/> returns a pointer to the value inside map memory (for per-CPU maps, this CPU's copy) or null;
/// <see cref="Update"/>, <see cref="Delete"/>, <see cref="Push"/>, <see cref="Pop"/>, <see cref="Peek"/> return 0 or
/// a negative errno (<see cref="BpfErrno"/>).</item>
/// <item>for userspace (the bpf syscall's map commands, the CLI, another process): spans, copies, per-CPU values
/// for all CPUs at once (<see cref="UserValueSize"/> bytes), and iteration with <see cref="GetNextKey"/>.</item>
/// </list>
/// A map's data lives in <see cref="Memory"/>, anonymous or a pin file shared with other processes.
/// </summary>
public abstract unsafe class BpfMap : IDisposable
{
    private readonly MapDescriptor* _descriptor;
    private int _disposed;

    private protected BpfMap(MapDefinition definition, MapMemory memory)
    {
        Definition = definition;
        Memory = memory;
        (nint handle, int id) = MapRegistry.Register(this);
        Handle = handle;
        Id = id;
        _descriptor = (MapDescriptor*)handle;
        _descriptor->Type = (uint)definition.Type;
        _descriptor->KeySize = definition.KeySize;
        _descriptor->ValueSize = definition.ValueSize;
        _descriptor->MaxEntries = definition.MaxEntries;
        _descriptor->CpuCount = definition.CpuCount;
        _descriptor->ValueStride = definition.ValueStride;
        _descriptor->Memory = memory.Base;
    }

    public MapDefinition Definition { get; }

    public string Name => Definition.Name;

    public BpfMapType Type => Definition.Type;

    public uint KeySize => Definition.KeySize;

    public uint ValueSize => Definition.ValueSize;

    public uint MaxEntries => Definition.MaxEntries;

    public BpfMapFlags Flags => Definition.Flags;

    /// <summary>Per-CPU copies of each value (1 for maps that are not per-CPU).</summary>
    public int CpuCount => Definition.CpuCount;

    /// <summary>The map as programs see it (<c>struct bpf_map *</c>): the address of its native descriptor.</summary>
    public nint Handle { get; }

    /// <summary>A process-wide id (the kernel's map id); map-in-map values from userspace name inner maps by it.</summary>
    public int Id { get; }

    public MapMemory Memory { get; }

    /// <summary>The pin file when the map lives in one.</summary>
    public string? PinPath => Memory.FilePath;

    /// <summary>True once frozen (BPF_MAP_FREEZE): userspace can no longer write; programs still can unless read-only.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>Bytes of a value as userspace reads and writes it: all CPUs' copies for per-CPU maps.</summary>
    public virtual int UserValueSize => (int)ValueSize;

    /// <summary>The map behind a handle a program passed, or null if the handle is not a live map.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BpfMap? FromHandle(nint handle) => MapRegistry.FromHandle(handle);

    /// <summary>The live map with this id, or null.</summary>
    public static BpfMap? FromId(int id) => MapRegistry.FromId(id);

    // ---- program face ------------------------------------------------------------------------------------------

    /// <summary>bpf_map_lookup_elem: a pointer to the value in map memory, or null.</summary>
    public virtual byte* Lookup(byte* key) => null;

    /// <summary>bpf_map_update_elem from a program.</summary>
    public virtual int Update(byte* key, byte* value, ulong flags) => BpfErrno.NotSupported;

    /// <summary>bpf_map_delete_elem.</summary>
    public virtual int Delete(byte* key) => BpfErrno.NotSupported;

    /// <summary>bpf_map_push_elem (queue, stack).</summary>
    public virtual int Push(byte* value, ulong flags) => BpfErrno.NotSupported;

    /// <summary>bpf_map_pop_elem (queue, stack).</summary>
    public virtual int Pop(byte* value) => BpfErrno.NotSupported;

    /// <summary>bpf_map_peek_elem (queue, stack).</summary>
    public virtual int Peek(byte* value) => BpfErrno.NotSupported;

    /// <summary>
    /// The address of byte <paramref name="offset"/> of element 0's value, for ld_imm64 BPF_PSEUDO_MAP_VALUE (the
    /// kernel's map_direct_value_addr, which only arrays have).
    /// </summary>
    public virtual ulong DirectValueAddress(uint offset) =>
        throw new InvalidOperationException($"map '{Name}' of type {Type} has no direct value address");

    // ---- userspace face ----------------------------------------------------------------------------------------

    /// <summary>BPF_MAP_LOOKUP_ELEM: copies the value (all CPUs' copies for per-CPU maps) into <paramref name="value"/>.</summary>
    public int LookupElement(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckKey(key);
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            return UserLookup(k, v);
        }
    }

    /// <summary>BPF_MAP_UPDATE_ELEM with BPF_ANY, BPF_NOEXIST or BPF_EXIST.</summary>
    public int UpdateElement(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = BpfUpdateFlags.Any)
    {
        CheckKey(key);
        CheckValue(value.Length);
        if (IsFrozen)
        {
            return BpfErrno.NotPermitted; // kernel: map_update_elem on a frozen map
        }
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            return UserUpdate(k, v, flags);
        }
    }

    /// <summary>BPF_MAP_DELETE_ELEM.</summary>
    public int DeleteElement(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        fixed (byte* k = key)
        {
            return UserDelete(k);
        }
    }

    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_ELEM (queue/stack pop; hash maps too).</summary>
    public int LookupAndDeleteElement(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckKey(key);
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            return UserLookupAndDelete(k, v);
        }
    }

    /// <summary>
    /// BPF_MAP_GET_NEXT_KEY: the key after <paramref name="key"/>, or the first key when <paramref name="key"/> is
    /// empty or absent; -ENOENT after the last.
    /// </summary>
    public int GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (!key.IsEmpty)
        {
            CheckKey(key);
        }
        if (nextKey.Length != (int)KeySize)
        {
            throw new ArgumentException($"map '{Name}': next key buffer is {nextKey.Length} bytes, keys are {KeySize}");
        }
        fixed (byte* k = key)
        fixed (byte* n = nextKey)
        {
            return UserGetNextKey(key.IsEmpty ? null : k, n);
        }
    }

    /// <summary>All keys, for dumping (userspace; a concurrent writer may add or remove keys meanwhile).</summary>
    public List<byte[]> Keys()
    {
        var keys = new List<byte[]>();
        byte[] current = [];
        var next = new byte[KeySize];
        int guard = 0;
        while (GetNextKey(current, next) == 0 && guard++ <= MaxEntries)
        {
            keys.Add(next);
            current = next;
            next = new byte[KeySize];
        }
        return keys;
    }

    /// <summary>BPF_MAP_FREEZE: no further writes from userspace (libbpf freezes .rodata after setting it).</summary>
    public void Freeze() => IsFrozen = true;

    private protected virtual int UserLookup(byte* key, byte* value)
    {
        byte* found = Lookup(key);
        if (found == null)
        {
            return BpfErrno.NoEntry;
        }
        Unsafe.CopyBlockUnaligned(value, found, ValueSize);
        return 0;
    }

    private protected virtual int UserUpdate(byte* key, byte* value, ulong flags) => Update(key, value, flags);

    private protected virtual int UserDelete(byte* key) => Delete(key);

    private protected virtual int UserLookupAndDelete(byte* key, byte* value) => BpfErrno.NotSupported;

    private protected virtual int UserGetNextKey(byte* key, byte* nextKey) => BpfErrno.NotSupported;

    /// <summary>
    /// array_map_get_next_key(), which every array-indexed map shares (array, prog_array, array_of_maps): the index
    /// after <paramref name="key"/>, where a missing or out-of-range key restarts at 0; -ENOENT after the last.
    /// </summary>
    private protected int ArrayGetNextKey(byte* key, byte* nextKey)
    {
        uint index = key == null ? uint.MaxValue : Unsafe.ReadUnaligned<uint>(key);
        uint next = index >= MaxEntries ? 0 : index + 1;
        if (next >= MaxEntries)
        {
            return BpfErrno.NoEntry;
        }
        Unsafe.WriteUnaligned(nextKey, next);
        return 0;
    }

    /// <summary>
    /// fd_array_map_delete_elem() for maps whose slots hold process-local objects (prog_array, perf_event_array):
    /// -E2BIG past the end, -ENOENT for an empty slot, else the slot is emptied.
    /// </summary>
    private protected static int DeleteSlot<T>(T?[] slots, byte* key) where T : class
    {
        uint index = *(uint*)key;
        if (index >= (uint)slots.Length)
        {
            return BpfErrno.TooBig;
        }
        return Interlocked.Exchange(ref slots[index], null) is null ? BpfErrno.NoEntry : 0;
    }

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != (int)KeySize)
        {
            throw new ArgumentException($"map '{Name}': key is {key.Length} bytes, the map's keys are {KeySize}");
        }
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
    }

    private void CheckValue(int length)
    {
        if (length != UserValueSize)
        {
            throw new ArgumentException($"map '{Name}': value is {length} bytes, the map's values are {UserValueSize}");
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            MapRegistry.Unregister(Id, Handle);
            DisposeCore();
            Memory.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Releases what a map type holds besides its memory.</summary>
    private protected virtual void DisposeCore()
    {
    }

    private protected MapDescriptor* Descriptor => _descriptor;

    private protected MapHeader* Header => (MapHeader*)Memory.Base;

    public override string ToString() =>
        $"{Type} '{Name}' key {KeySize} value {ValueSize} max_entries {MaxEntries}{(PinPath is null ? "" : " pinned " + PinPath)}";
}
