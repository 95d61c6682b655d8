using Bpf.Native.Maps;

namespace Bpf.Native.Tests.Maps;

/// <summary>Small helpers so map tests read as specifications: u32 keys, u64 values, both faces of a map.</summary>
internal static unsafe class MapTestKit
{
    public static BpfMap Create(BpfMapType type, uint keySize, uint valueSize, uint maxEntries,
        BpfMapFlags flags = BpfMapFlags.None, int cpus = 1) =>
        BpfMapFactory.Create(new MapDefinition("test", type, keySize, valueSize, maxEntries, flags, cpus));

    public static byte[] U32(uint value) => BitConverter.GetBytes(value);

    public static byte[] U64(ulong value) => BitConverter.GetBytes(value);

    /// <summary>Program-face update of a u32 key to a u64 value.</summary>
    public static int Put(BpfMap map, uint key, ulong value, ulong flags = BpfUpdateFlags.Any) =>
        map.Update((byte*)&key, (byte*)&value, flags);

    /// <summary>Program-face lookup of a u32 key: the u64 the pointer shows, or null.</summary>
    public static ulong? Get(BpfMap map, uint key)
    {
        byte* value = map.Lookup((byte*)&key);
        return value == null ? null : *(ulong*)value;
    }

    public static int Remove(BpfMap map, uint key) => map.Delete((byte*)&key);

    /// <summary>Userspace read of a u64 value, or null with -ENOENT.</summary>
    public static ulong? Read(BpfMap map, uint key)
    {
        var value = new byte[8];
        return map.LookupElement(U32(key), value) == 0 ? BitConverter.ToUInt64(value) : null;
    }

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "forwarder-map-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
