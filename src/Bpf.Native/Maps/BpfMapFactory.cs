using System.Numerics;
using Bpf.Native.Elf;

namespace Bpf.Native.Maps;

/// <summary>
/// Creates live maps: checks a definition against the kernel's rules for its type (the map_alloc_check of each
/// kernel/bpf/*map*.c), lays out its memory with a <see cref="MapHeader"/>, and picks the implementation.
/// </summary>
public static unsafe class BpfMapFactory
{
    /// <summary>Largest map memory accepted (the kernel's own limits are per type; this keeps a typo from eating RAM).</summary>
    public const long MaxRegionBytes = 1L << 32;

    /// <summary>MAX_BPF_STACK: hash keys must fit on a program's stack.</summary>
    private const uint MaxKeyBytes = 512;

    /// <summary>KMALLOC_MAX_SIZE on x86-64 (4 MiB), the kernel's practical cap on one value.</summary>
    private const uint MaxValueBytes = 1u << 22;

    /// <summary>Types whose whole state can live in a pin file shared with other processes.</summary>
    public static bool IsShareable(BpfMapType type) => type is BpfMapType.Hash or BpfMapType.PerCpuHash
        or BpfMapType.LruHash or BpfMapType.LruPerCpuHash or BpfMapType.Array or BpfMapType.PerCpuArray
        or BpfMapType.LpmTrie or BpfMapType.Queue or BpfMapType.Stack or BpfMapType.RingBuf;

    public static bool IsPerCpu(BpfMapType type) => type is BpfMapType.PerCpuHash or BpfMapType.PerCpuArray
        or BpfMapType.LruPerCpuHash;

    /// <summary>The live definition of a parsed map: per-CPU copies for per-CPU types, libbpf's defaults.</summary>
    public static MapDefinition DefinitionOf(MapSpec spec)
    {
        uint maxEntries = spec.MaxEntries;
        if (spec.Type == BpfMapType.PerfEventArray && maxEntries == 0)
        {
            maxEntries = (uint)BpfCpu.PossibleCount; // libbpf: one slot per possible CPU
        }
        return new MapDefinition(spec.Name, spec.Type, spec.KeySize, spec.ValueSize, maxEntries, spec.Flags,
            IsPerCpu(spec.Type) ? BpfCpu.PossibleCount : 1);
    }

    /// <summary>Creates the map a spec describes in anonymous memory, with its initial contents (global data).</summary>
    public static BpfMap Create(MapSpec spec)
    {
        MapDefinition? inner = spec.InnerMap is null ? null : DefinitionOf(spec.InnerMap);
        BpfMap map = Create(DefinitionOf(spec), inner);
        ApplyContents(map, spec);
        return map;
    }

    /// <summary>Creates a map in anonymous memory. <paramref name="innerTemplate"/> is required for map-in-map types.</summary>
    public static BpfMap Create(MapDefinition definition, MapDefinition? innerTemplate = null)
    {
        Validate(definition, innerTemplate);
        var memory = new AnonymousMapMemory(RegionBytes(definition));
        try
        {
            WriteHeader(memory, definition);
            BpfMap map = Construct(definition, memory, initialise: true, innerTemplate);
            Volatile.Write(ref ((MapHeader*)memory.Base)->State, MapHeader.StateReady);
            return map;
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    /// <summary>Writes a data section's initial value into element 0 and freezes .rodata, as libbpf does.</summary>
    internal static void ApplyContents(BpfMap map, MapSpec spec)
    {
        if (spec.Contents.Count > 0 && map is ArrayMap array)
        {
            uint key = 0;
            int result = array.UpdateElement(new ReadOnlySpan<byte>(&key, 4), spec.Contents.AsSpan());
            if (result != 0)
            {
                throw new InvalidOperationException($"map '{map.Name}': writing its initial contents failed ({BpfErrno.Name(result)})");
            }
        }
        if (spec.Freeze)
        {
            map.Freeze();
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the rule a definition breaks.</summary>
    public static void Validate(MapDefinition d, MapDefinition? innerTemplate = null)
    {
        string? problem = Problem(d, innerTemplate);
        if (problem is not null)
        {
            throw new ArgumentException($"map '{d.Name}' ({d.Type}): {problem}");
        }
        if (RegionBytes(d) > MaxRegionBytes)
        {
            throw new ArgumentException($"map '{d.Name}' ({d.Type}): needs {RegionBytes(d)} bytes, more than {MaxRegionBytes}");
        }
    }

    private static string? Problem(MapDefinition d, MapDefinition? inner)
    {
        if (d.CpuCount < 1 || d.CpuCount > 4096)
        {
            return $"cpu count {d.CpuCount} is out of range";
        }
        if (d.ValueSize > MaxValueBytes)
        {
            return $"value_size {d.ValueSize} is larger than {MaxValueBytes}";
        }
        switch (d.Type)
        {
            case BpfMapType.Hash or BpfMapType.PerCpuHash or BpfMapType.LruHash or BpfMapType.LruPerCpuHash:
                if (d.MaxEntries == 0 || d.KeySize == 0 || d.ValueSize == 0)
                {
                    return "max_entries, key_size and value_size must be non-zero";
                }
                if (d.KeySize > MaxKeyBytes)
                {
                    return $"key_size {d.KeySize} is larger than {MaxKeyBytes}";
                }
                if (HashMap.IsLru(d.Type) && (d.Flags & BpfMapFlags.NoPrealloc) != 0)
                {
                    return "LRU maps are always preallocated (BPF_F_NO_PREALLOC is not allowed)";
                }
                return null;
            case BpfMapType.Array or BpfMapType.PerCpuArray:
                return d.KeySize != 4 || d.ValueSize == 0 || d.MaxEntries == 0
                    ? "key_size must be 4, value_size and max_entries non-zero" : null;
            case BpfMapType.ProgArray or BpfMapType.PerfEventArray:
                return d.KeySize != 4 || d.ValueSize != 4 || d.MaxEntries == 0
                    ? "key_size and value_size must be 4, max_entries non-zero" : null;
            case BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps:
                if (inner is null)
                {
                    return "a map-in-map needs an inner map template";
                }
                if (inner.Value.Type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps or BpfMapType.ProgArray)
                {
                    return $"inner maps of type {inner.Value.Type} are not allowed";
                }
                if (d.ValueSize != 4 || d.MaxEntries == 0 || d.KeySize == 0
                    || (d.Type == BpfMapType.ArrayOfMaps && d.KeySize != 4))
                {
                    return "value_size must be 4, key_size 4 for arrays (non-zero for hashes), max_entries non-zero";
                }
                return Problem(inner.Value, null) is { } innerProblem ? "inner map: " + innerProblem : null;
            case BpfMapType.LpmTrie:
                if (d.MaxEntries == 0 || (d.Flags & BpfMapFlags.NoPrealloc) == 0)
                {
                    return "max_entries must be non-zero and BPF_F_NO_PREALLOC set (lpm_trie.c trie_alloc)";
                }
                if (d.KeySize <= 4 || d.KeySize - 4 > LpmTrieMap.MaxDataBytes || d.ValueSize == 0)
                {
                    return $"key_size must be 4 + 1..{LpmTrieMap.MaxDataBytes} data bytes and value_size non-zero";
                }
                return null;
            case BpfMapType.Queue or BpfMapType.Stack:
                return d.KeySize != 0 || d.ValueSize == 0 || d.MaxEntries == 0
                    ? "key_size must be 0, value_size and max_entries non-zero" : null;
            case BpfMapType.RingBuf:
                if (d.KeySize != 0 || d.ValueSize != 0)
                {
                    return "key_size and value_size must be 0";
                }
                return !BitOperations.IsPow2(d.MaxEntries) || d.MaxEntries % MapMemory.PageBytes != 0
                    ? $"max_entries {d.MaxEntries} must be a power of 2 and a multiple of the page size" : null;
            default:
                return "map type not supported";
        }
    }

    internal static long RegionBytes(MapDefinition d) => d.Type switch
    {
        BpfMapType.Hash or BpfMapType.PerCpuHash or BpfMapType.LruHash or BpfMapType.LruPerCpuHash => HashMap.RegionBytes(d),
        BpfMapType.Array or BpfMapType.PerCpuArray => ArrayMap.RegionBytes(d),
        BpfMapType.LpmTrie => LpmTrieMap.RegionBytes(d),
        BpfMapType.Queue or BpfMapType.Stack => QueueStackMap.RegionBytes(d),
        BpfMapType.RingBuf => RingBufMap.RegionBytes(d),
        BpfMapType.ProgArray => ProgArrayMap.RegionBytes(d),
        BpfMapType.PerfEventArray => PerfEventArrayMap.RegionBytes(d),
        BpfMapType.ArrayOfMaps => ArrayOfMapsMap.RegionBytes(d),
        BpfMapType.HashOfMaps => HashOfMapsMap.RegionBytes(d),
        _ => throw new ArgumentException($"map type {d.Type} is not supported"),
    };

    internal static void WriteHeader(MapMemory memory, MapDefinition d)
    {
        var header = (MapHeader*)memory.Base;
        header->Magic = MapHeader.MagicValue;
        header->Version = MapHeader.CurrentVersion;
        header->Type = (uint)d.Type;
        header->KeySize = d.KeySize;
        header->ValueSize = d.ValueSize;
        header->MaxEntries = d.MaxEntries;
        header->Flags = (uint)d.Flags;
        header->CpuCount = (uint)d.CpuCount;
        header->RegionBytes = (ulong)memory.Length;
        header->HashSeed = (d.Flags & BpfMapFlags.ZeroSeed) != 0 ? 0 : (uint)Random.Shared.Next();
        header->WriteName(d.Name);
    }

    internal static BpfMap Construct(MapDefinition d, MapMemory memory, bool initialise, MapDefinition? inner) => d.Type switch
    {
        BpfMapType.Hash or BpfMapType.PerCpuHash or BpfMapType.LruHash or BpfMapType.LruPerCpuHash =>
            new HashMap(d, memory, initialise),
        BpfMapType.Array or BpfMapType.PerCpuArray => new ArrayMap(d, memory),
        BpfMapType.LpmTrie => new LpmTrieMap(d, memory, initialise),
        BpfMapType.Queue or BpfMapType.Stack => new QueueStackMap(d, memory),
        BpfMapType.RingBuf => new RingBufMap(d, memory),
        BpfMapType.ProgArray => new ProgArrayMap(d, memory),
        BpfMapType.PerfEventArray => new PerfEventArrayMap(d, memory),
        BpfMapType.ArrayOfMaps => new ArrayOfMapsMap(d, memory, inner!.Value),
        BpfMapType.HashOfMaps => new HashOfMapsMap(d, memory, inner!.Value),
        _ => throw new ArgumentException($"map type {d.Type} is not supported"),
    };
}
