using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Packets;

/// <summary>
/// A fixed population of <see cref="Packet"/>s over one <see cref="PacketSlab"/>. Nothing is allocated after
/// construction. The pool has an owner thread (the datapath thread that receives into it): rent and return on that
/// thread touch only a private stack, without locks or atomics. Other threads (a scheduler freeing packets it was
/// handed, the control plane) go through a shared stack under a lock; the owner refills from and spills to it in
/// batches. Measured against Microsoft.Extensions.ObjectPool in perf/ (PacketPoolBenchmarks).
/// </summary>
public sealed class PacketPool : IDisposable
{
    public const int DefaultHeadroom = 128;
    private const int Batch = 64;

    private readonly PacketSlab _slab;
    private readonly Packet[] _all;
    private readonly Packet[] _local;
    private int _localCount;
    private readonly Packet[] _shared;
    private int _sharedCount;
    private readonly Lock _sharedLock = new();
    private int _ownerThreadId;

    /// <param name="count">Packets in the pool.</param>
    /// <param name="dataBytes">Bytes of data area per packet: headroom plus the largest frame.</param>
    /// <param name="headroom">Bytes kept free in front of a received frame for pushed headers.</param>
    public unsafe PacketPool(int count, int dataBytes = 2048, int headroom = DefaultHeadroom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(dataBytes, headroom);
        Headroom = headroom;
        _slab = new PacketSlab(count, PacketMetadata.Size + dataBytes);
        int capacity = _slab.SlotBytes - PacketMetadata.Size;
        _all = new Packet[count];
        _local = new Packet[count];
        _shared = new Packet[count];
        for (int i = 0; i < count; i++)
        {
            var p = new Packet(this, i, _slab.SlotAddress(i), capacity) { InPool = true };
            _all[i] = p;
            _local[i] = p;
        }
        _localCount = count;
        _ownerThreadId = Environment.CurrentManagedThreadId;
        DataCapacity = capacity;
    }

    public int Count => _all.Length;
    public int Headroom { get; }

    /// <summary>Data area bytes per packet (headroom + frame + tailroom).</summary>
    public int DataCapacity { get; }

    /// <summary>The largest frame a freshly rented packet can hold after its headroom.</summary>
    public int MaxFrameBytes => DataCapacity - Headroom;

    /// <summary>Packets currently in the pool (approximate when other threads are returning at the same time).</summary>
    public int Available => _localCount + Volatile.Read(ref _sharedCount);

    /// <summary>Makes the calling thread the owner: the one whose rent/return take the lock-free path.</summary>
    public void BindToCurrentThread()
    {
        lock (_sharedLock)
        {
            // Packets in the old owner's stack move to the shared stack so the new owner can reach them.
            while (_localCount > 0) _shared[_sharedCount++] = _local[--_localCount];
            _ownerThreadId = Environment.CurrentManagedThreadId;
        }
    }

    /// <summary>A packet with clear metadata and an empty frame at the headroom, or null when the pool is empty.</summary>
    public Packet? Rent()
    {
        Packet? p;
        if (Environment.CurrentManagedThreadId == _ownerThreadId)
        {
            if (_localCount == 0 && RefillLocal() == 0) return null;
            p = _local[--_localCount];
        }
        else
        {
            lock (_sharedLock)
            {
                if (_sharedCount == 0) return null;
                p = _shared[--_sharedCount];
            }
        }
        Debug.Assert(p.InPool);
        p.InPool = false;
        p.ResetForRent();
        return p;
    }

    /// <summary>Fills <paramref name="packets"/> from the front; returns how many were rented.</summary>
    public int RentBurst(Span<Packet> packets)
    {
        int n = 0;
        while (n < packets.Length)
        {
            Packet? p = Rent();
            if (p is null) break;
            packets[n++] = p;
        }
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Return(Packet packet)
    {
        Debug.Assert(ReferenceEquals(packet.Pool, this), "packet returned to a pool it does not belong to");
        if (packet.InPool) ThrowDoubleFree(packet);
        packet.InPool = true;
        packet.Next = null;
        packet.Prev = null;
        if (Environment.CurrentManagedThreadId == _ownerThreadId)
        {
            if (_localCount == _local.Length) SpillLocal();
            _local[_localCount++] = packet;
        }
        else
        {
            lock (_sharedLock) _shared[_sharedCount++] = packet;
        }
    }

    public void ReturnBurst(ReadOnlySpan<Packet> packets)
    {
        foreach (Packet p in packets) Return(p);
    }

    private int RefillLocal()
    {
        lock (_sharedLock)
        {
            int n = Math.Min(Batch, _sharedCount);
            for (int i = 0; i < n; i++) _local[_localCount++] = _shared[--_sharedCount];
            return n;
        }
    }

    private void SpillLocal()
    {
        lock (_sharedLock)
        {
            int n = Math.Min(Batch, _localCount);
            for (int i = 0; i < n; i++) _shared[_sharedCount++] = _local[--_localCount];
        }
    }

    private static void ThrowDoubleFree(Packet p) =>
        throw new InvalidOperationException($"packet slot {p.Slot} freed twice");

    public void Dispose() => _slab.Dispose();
}
