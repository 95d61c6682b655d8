namespace Bpf.Native.Maps;

/// <summary>
/// The memory a map's data structure lives in: page-aligned, zero-filled at creation, fixed in place for the map's
/// life. Either anonymous (process-private) or a memory-mapped pin file other processes map too. Everything in it
/// is addressed by offsets from <see cref="Base"/>, never by pointers, so every process can map it anywhere.
/// </summary>
public abstract unsafe class MapMemory : IDisposable
{
    public const int PageBytes = 4096;

    public byte* Base { get; protected set; }

    public long Length { get; protected set; }

    /// <summary>The pin file this memory maps, or null for anonymous memory.</summary>
    public abstract string? FilePath { get; }

    public abstract void Dispose();
}
