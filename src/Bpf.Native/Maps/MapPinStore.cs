using System.Security.Cryptography;
using Bpf.Native.Elf;

namespace Bpf.Native.Maps;

/// <summary>
/// Pinned maps: files in a directory this project chooses (default <see cref="DefaultDirectory"/>; the CLI's
/// <c>--pin-maps DIR</c>), laid out as tc and libbpf lay out their pins under /sys/fs/bpf:
/// <list type="bullet">
/// <item>tc PIN_GLOBAL_NS: DIR/tc/globals/NAME (iproute2's /sys/fs/bpf/tc/globals/NAME)</item>
/// <item>tc PIN_OBJECT_NS: DIR/tc/OBJECT/NAME, OBJECT being the SHA-1 of the object file as iproute2 names it</item>
/// <item>libbpf LIBBPF_PIN_BY_NAME: DIR/NAME</item>
/// </list>
/// A pin file holds the whole map (header, control block, data; see docs/notes/bpf-elf-maps.md), memory-mapped
/// shared, so another process opens it with <see cref="Open"/> and reads and updates it while programs run.
/// Maps that hold process-local objects (prog_array, perf_event_array, map-in-map) are pinned within the process
/// only. An existing pin is reused when it matches the requested definition, as tc does, and refused otherwise.
/// </summary>
public sealed class MapPinStore
{
    public const string DefaultDirectory = "/run/forwarder/bpf";

    private static readonly Lock s_lock = new();
    private static readonly Dictionary<string, BpfMap> s_processPins = new(StringComparer.Ordinal);

    public MapPinStore(string? directory = null)
    {
        Directory = Path.GetFullPath(directory ?? DefaultDirectory);
    }

    public string Directory { get; }

    /// <summary>iproute2's object namespace: the SHA-1 of the object file, in hex.</summary>
    public static string ObjectNamespaceOf(ReadOnlySpan<byte> objectFile) =>
        Convert.ToHexStringLower(SHA1.HashData(objectFile));

    public string PathFor(MapSpec spec, string objectNamespace = "") => spec.Pinning switch
    {
        MapPinning.GlobalNamespace => Path.Combine(Directory, "tc", "globals", CheckName(spec.Name)),
        MapPinning.ObjectNamespace => Path.Combine(Directory, "tc", CheckName(objectNamespace), CheckName(spec.Name)),
        MapPinning.ByName => Path.Combine(Directory, CheckName(spec.Name)),
        _ => throw new ArgumentException($"map '{spec.Name}' is not pinned"),
    };

    /// <summary>The pinned map a spec asks for: the existing pin if it matches, else a new one.</summary>
    public BpfMap CreateOrOpen(MapSpec spec, string objectNamespace = "")
    {
        MapDefinition definition = BpfMapFactory.DefinitionOf(spec);
        MapDefinition? inner = spec.InnerMap is null ? null : BpfMapFactory.DefinitionOf(spec.InnerMap);
        bool created;
        BpfMap map = CreateOrOpen(PathFor(spec, objectNamespace), definition, inner, out created);
        if (created)
        {
            BpfMapFactory.ApplyContents(map, spec);
        }
        return map;
    }

    /// <summary>Creates the pin at <paramref name="path"/> or opens it when it exists and matches.</summary>
    public BpfMap CreateOrOpen(string path, MapDefinition definition, MapDefinition? innerTemplate, out bool created)
    {
        BpfMapFactory.Validate(definition, innerTemplate);
        path = Path.GetFullPath(path);
        lock (s_lock)
        {
            if (s_processPins.TryGetValue(path, out BpfMap? existing))
            {
                CheckMatches(existing, definition, path);
                created = false;
                return existing;
            }
            BpfMap map;
            if (!BpfMapFactory.IsShareable(definition.Type))
            {
                map = BpfMapFactory.Create(definition, innerTemplate);
                created = true;
            }
            else
            {
                map = OpenOrCreateFile(path, definition, out created);
            }
            s_processPins[path] = map;
            return map;
        }
    }

    /// <summary>
    /// Opens a pin file another process created, checking everything in its header before use: a file that is not
    /// a map, or is corrupt, gives a <see cref="MapFormatException"/>.
    /// </summary>
    public static unsafe BpfMap Open(string path)
    {
        FileMapMemory memory = FileMapMemory.Open(Path.GetFullPath(path));
        try
        {
            var header = (MapHeader*)memory.Base;
            if (header->Magic != MapHeader.MagicValue)
            {
                throw new MapFormatException($"{path} is not a pinned map (bad magic)");
            }
            if (header->Version != MapHeader.CurrentVersion)
            {
                throw new MapFormatException($"{path}: pinned map format version {header->Version}, this build reads {MapHeader.CurrentVersion}");
            }
            if (Volatile.Read(ref header->State) != MapHeader.StateReady)
            {
                throw new MapFormatException($"{path}: the map is not initialised");
            }
            var definition = new MapDefinition(header->ReadName(), (BpfMapType)header->Type, header->KeySize,
                header->ValueSize, header->MaxEntries, (BpfMapFlags)header->Flags, (int)Math.Min(header->CpuCount, 1u << 20));
            if (!BpfMapFactory.IsShareable(definition.Type))
            {
                throw new MapFormatException($"{path}: map type {definition.Type} cannot be shared between processes");
            }
            try
            {
                BpfMapFactory.Validate(definition);
            }
            catch (ArgumentException e)
            {
                throw new MapFormatException($"{path}: {e.Message}");
            }
            long expected = BpfMapFactory.RegionBytes(definition);
            if (header->RegionBytes != (ulong)expected || memory.Length != expected)
            {
                throw new MapFormatException(
                    $"{path}: the file is {memory.Length} bytes and its header says {header->RegionBytes}; a {definition.Type} map of this shape takes {expected}");
            }
            if (definition.Type is BpfMapType.Hash or BpfMapType.PerCpuHash or BpfMapType.LruHash or BpfMapType.LruPerCpuHash
                && !HashTable.ControlMatches(definition, memory.Base, HashMap.IsLru(definition.Type)))
            {
                throw new MapFormatException($"{path}: hash table control block does not match its header");
            }
            return BpfMapFactory.Construct(definition, memory, initialise: false, null);
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    /// <summary>Forgets a pin of this process (the file stays; delete it to unpin for everyone).</summary>
    public static void ForgetProcessPin(string path)
    {
        lock (s_lock)
        {
            s_processPins.Remove(Path.GetFullPath(path));
        }
    }

    private static unsafe BpfMap OpenOrCreateFile(string path, MapDefinition definition, out bool created)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (File.Exists(path))
            {
                BpfMap existing = Open(path);
                CheckMatches(existing, definition, path);
                created = false;
                return existing;
            }
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Lay the map out in a private file, then link it into place: other processes see a complete map or none.
            string staging = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            FileMapMemory memory = FileMapMemory.Create(staging, BpfMapFactory.RegionBytes(definition));
            BpfMap? map = null;
            try
            {
                BpfMapFactory.WriteHeader(memory, definition);
                map = BpfMapFactory.Construct(definition, memory, initialise: true, null);
                Volatile.Write(ref ((MapHeader*)memory.Base)->State, MapHeader.StateReady);
                File.Move(staging, path, overwrite: false);
                memory.Renamed(path);
                created = true;
                return map;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process pinned it first: use theirs.
                map?.Dispose();
                File.Delete(staging);
            }
            catch
            {
                if (map is null)
                {
                    memory.Dispose();
                }
                else
                {
                    map.Dispose();
                }
                File.Delete(staging);
                throw;
            }
        }
        throw new IOException($"{path}: could not create or open the pinned map");
    }

    private static void CheckMatches(BpfMap map, MapDefinition wanted, string path)
    {
        MapDefinition have = map.Definition;
        if (have.Type != wanted.Type || have.KeySize != wanted.KeySize || have.ValueSize != wanted.ValueSize
            || have.MaxEntries != wanted.MaxEntries || have.Flags != wanted.Flags)
        {
            throw new MapFormatException(
                $"{path}: pinned map is {have.Type} key {have.KeySize} value {have.ValueSize} max {have.MaxEntries} flags {have.Flags}, " +
                $"but {wanted.Type} key {wanted.KeySize} value {wanted.ValueSize} max {wanted.MaxEntries} flags {wanted.Flags} was asked for");
        }
    }

    private static string CheckName(string name)
    {
        if (name.Length == 0 || name.Contains('/') || name is "." or ".." || name.Contains('\0'))
        {
            throw new ArgumentException($"'{name}' cannot be used as a pin name");
        }
        return name;
    }
}
