using System.Runtime.InteropServices;

namespace Bpf.Native.Maps;

/// <summary>
/// Live maps by id, so that a native map handle (what programs hold in a register and pass to helpers as
/// <c>struct bpf_map *</c>) leads back to its <see cref="BpfMap"/> without allocating. Ids start at 1 and are
/// never reused within a process, like the kernel's map ids.
/// </summary>
internal static unsafe class MapRegistry
{
    public const uint DescriptorMagic = 0x4d415042; // "BPAM"
    public const int DescriptorBytes = 64;

    private static readonly Lock s_lock = new();
    private static BpfMap?[] s_maps = new BpfMap?[64];
    private static int s_nextId = 1;

    /// <summary>Registers <paramref name="map"/> and returns its native descriptor (its handle) and id.</summary>
    public static (nint Handle, int Id) Register(BpfMap map)
    {
        lock (s_lock)
        {
            int id = s_nextId++;
            if (id >= s_maps.Length)
            {
                var grown = new BpfMap?[s_maps.Length * 2];
                s_maps.CopyTo(grown, 0);
                Volatile.Write(ref s_maps, grown);
            }
            s_maps[id] = map;
            var descriptor = (MapDescriptor*)NativeMemory.AllocZeroed(DescriptorBytes);
            descriptor->Magic = DescriptorMagic;
            descriptor->Id = id;
            return ((nint)descriptor, id);
        }
    }

    public static void Unregister(int id, nint handle)
    {
        lock (s_lock)
        {
            s_maps[id] = null;
            ((MapDescriptor*)handle)->Magic = 0;
            // The descriptor is not freed: a stale handle must keep reading a dead magic, not freed memory.
        }
    }

    public static BpfMap? FromId(int id)
    {
        BpfMap?[] maps = Volatile.Read(ref s_maps);
        return (uint)id < (uint)maps.Length ? maps[id] : null;
    }

    public static BpfMap? FromHandle(nint handle)
    {
        if (handle == 0)
        {
            return null;
        }
        var descriptor = (MapDescriptor*)handle;
        return descriptor->Magic == DescriptorMagic ? FromId(descriptor->Id) : null;
    }
}
