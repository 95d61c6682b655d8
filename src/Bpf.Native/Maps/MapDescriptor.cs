using System.Runtime.InteropServices;

namespace Bpf.Native.Maps;

/// <summary>
/// The native block a map handle points to: process-local, never in shared memory. The JIT may read the fields
/// to inline lookups (an array's value base and stride) without calling back into managed code.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MapDescriptor
{
    public uint Magic;
    public int Id;
    public uint Type;
    public uint KeySize;
    public uint ValueSize;
    public uint MaxEntries;
    public int CpuCount;
    public int ValueStride;

    /// <summary>The map's memory (its <see cref="MapHeader"/>).</summary>
    public byte* Memory;

    /// <summary>For array maps: the first value; else null.</summary>
    public byte* Values;
}
