namespace Forwarder.Ports;

/// <summary>
/// A bounded single-producer/single-consumer ring of frames in preallocated slots: one thread writes, one reads,
/// no locks, nothing allocated after construction. What an in-memory wire is made of.
/// </summary>
public sealed class FrameRing
{
    private readonly byte[] _slots;
    private readonly int[] _lengths;
    private readonly int _slotBytes;
    private readonly int _mask;
    private long _head; // next slot to read (consumer)
    private long _tail; // next slot to write (producer)

    public FrameRing(int capacity, int slotBytes)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0) throw new ArgumentException("capacity must be a power of two", nameof(capacity));
        _slots = new byte[capacity * slotBytes];
        _lengths = new int[capacity];
        _slotBytes = slotBytes;
        _mask = capacity - 1;
    }

    public int Capacity => _mask + 1;
    public int SlotBytes => _slotBytes;
    public int Count => (int)(Volatile.Read(ref _tail) - Volatile.Read(ref _head));

    public bool TryWrite(ReadOnlySpan<byte> frame)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) > _mask || frame.Length > _slotBytes) return false;
        int slot = (int)(tail & _mask);
        frame.CopyTo(_slots.AsSpan(slot * _slotBytes, _slotBytes));
        _lengths[slot] = frame.Length;
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>The oldest frame, without removing it; false when empty.</summary>
    public bool TryPeek(out Span<byte> frame)
    {
        long head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            frame = default;
            return false;
        }
        int slot = (int)(head & _mask);
        frame = _slots.AsSpan(slot * _slotBytes, _lengths[slot]);
        return true;
    }

    public void Advance() => Volatile.Write(ref _head, _head + 1);
}
