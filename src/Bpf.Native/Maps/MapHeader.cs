using System.Runtime.InteropServices;
using System.Text;

namespace Bpf.Native.Maps;

/// <summary>
/// The first 128 bytes of every map's memory, and so of every pin file (the format is described in
/// docs/notes/bpf-elf-maps.md): what the map is, so that another process can open the file and check it.
/// Bytes 128..4095 are the map type's control block (locks, counters, list heads); its data starts at 4096.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
internal unsafe struct MapHeader
{
    /// <summary>"FWDBPFMP" little-endian.</summary>
    public const ulong MagicValue = 0x504D465042445746;

    public const uint CurrentVersion = 1;
    public const int ControlOffset = 128;
    public const int DataOffset = MapMemory.PageBytes;
    public const int NameBytes = 64;

    /// <summary>State: being laid out by its creator; do not use.</summary>
    public const int StateInitialising = 0;

    /// <summary>State: ready for every process.</summary>
    public const int StateReady = 1;

    public ulong Magic;
    public uint Version;
    public uint Type;
    public uint KeySize;
    public uint ValueSize;
    public uint MaxEntries;
    public uint Flags;
    public uint CpuCount;
    public uint Reserved0;
    public ulong RegionBytes;
    public int State;
    public uint HashSeed;
    public ulong Reserved1;
    public fixed byte Name[NameBytes];

    public string ReadName()
    {
        fixed (byte* name = Name)
        {
            var span = new ReadOnlySpan<byte>(name, NameBytes);
            int end = span.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
        }
    }

    public void WriteName(string value)
    {
        fixed (byte* name = Name)
        {
            var span = new Span<byte>(name, NameBytes);
            span.Clear();
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            bytes.AsSpan(0, Math.Min(bytes.Length, NameBytes - 1)).CopyTo(span);
        }
    }
}
