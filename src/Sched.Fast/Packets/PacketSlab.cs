using System.Runtime.InteropServices;

namespace Sched.Fast.Packets;

/// <summary>
/// One block of native memory cut into fixed-size, cache-line aligned slots. Native memory never moves, so ports may
/// hand slot addresses to the kernel and eBPF programs may hold raw pointers into them.
/// </summary>
public sealed unsafe class PacketSlab : IDisposable
{
    private const int CacheLine = 64;
    private byte* _base;

    public PacketSlab(int slotCount, int slotBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotBytes, PacketMetadata.Size + 64);
        SlotCount = slotCount;
        SlotBytes = (slotBytes + CacheLine - 1) & ~(CacheLine - 1);
        nuint total = (nuint)SlotCount * (nuint)SlotBytes;
        _base = (byte*)NativeMemory.AlignedAlloc(total, CacheLine);
        NativeMemory.Clear(_base, total);
    }

    public int SlotCount { get; }

    /// <summary>Bytes per slot, metadata included, rounded up to a cache line.</summary>
    public int SlotBytes { get; }

    public byte* SlotAddress(int slot)
    {
        if ((uint)slot >= (uint)SlotCount) throw new ArgumentOutOfRangeException(nameof(slot));
        if (_base is null) throw new ObjectDisposedException(nameof(PacketSlab));
        return _base + (nint)slot * SlotBytes;
    }

    public void Dispose()
    {
        if (_base is null) return;
        NativeMemory.AlignedFree(_base);
        _base = null;
    }
}
