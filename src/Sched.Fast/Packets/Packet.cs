using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Packets;

/// <summary>
/// A packet: a pooled handle to one slot of a pinned slab. The slot holds <see cref="PacketMetadata"/>, then
/// headroom, then the frame. <see cref="Offset"/>/<see cref="Length"/> select the frame inside the data area, so
/// headers can be pushed (VLAN, encapsulation) without copying. Queues chain packets through
/// <see cref="Next"/>/<see cref="Prev"/> (like sk_buff lists), so queueing allocates nothing.
/// Whoever holds a packet owns it and must hand it on or <see cref="Free"/> it exactly once.
/// </summary>
public sealed unsafe class Packet
{
    private readonly PacketMetadata* _meta;
    private readonly byte* _area;
    private int _offset;
    private int _length;

    /// <summary>Intrusive links, owned by the queue that currently holds the packet.</summary>
    public Packet? Next;
    public Packet? Prev;

    internal Packet(PacketPool pool, int slot, byte* slotBase, int dataCapacity)
    {
        Pool = pool;
        Slot = slot;
        _meta = (PacketMetadata*)slotBase;
        _area = slotBase + PacketMetadata.Size;
        Capacity = dataCapacity;
    }

    public PacketPool Pool { get; }
    internal int Slot { get; }
    internal bool InPool;

    /// <summary>Bytes in the data area (headroom + frame + tailroom).</summary>
    public int Capacity { get; }

    public int Offset => _offset;
    public int Length => _length;
    public int Headroom => _offset;
    public int Tailroom => Capacity - _offset - _length;

    public ref PacketMetadata Meta => ref *_meta;
    public PacketMetadata* MetaPointer => _meta;

    /// <summary>The frame, starting at the Ethernet header.</summary>
    public Span<byte> Data
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_area + _offset, _length);
    }

    public byte* DataPointer => _area + _offset;

    /// <summary>The whole data area, for ports that receive into the slot directly.</summary>
    public Span<byte> Area => new(_area, Capacity);

    // The metadata fields qdiscs and classifiers touch most, as properties.
    public uint Mark { get => _meta->Mark; set => _meta->Mark = value; }
    public uint Priority { get => _meta->Priority; set => _meta->Priority = value; }
    public ushort Protocol { get => _meta->Protocol; set => _meta->Protocol = value; }

    /// <summary>The length qdiscs account (qdisc_pkt_len()): the frame length unless a size table adjusted it.</summary>
    public int QdiscLength
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _meta->QdiscLength;
        set => _meta->QdiscLength = value;
    }

    /// <summary>Selects the frame inside the data area; also resets <see cref="QdiscLength"/> to the new length.</summary>
    public void SetData(int offset, int length)
    {
        if ((uint)offset > (uint)Capacity || (uint)length > (uint)(Capacity - offset)) ThrowOutOfRoom(offset, length);
        _offset = offset;
        _length = length;
        SyncPointers();
    }

    /// <summary>Sets the frame length, keeping the offset.</summary>
    public void SetLength(int length) => SetData(_offset, length);

    /// <summary>Grows the frame at the front by <paramref name="bytes"/> (skb_push). False when headroom is short.</summary>
    public bool TryPush(int bytes)
    {
        if ((uint)bytes > (uint)_offset) return false;
        _offset -= bytes;
        _length += bytes;
        SyncPointers();
        return true;
    }

    /// <summary>Removes <paramref name="bytes"/> from the front of the frame (skb_pull).</summary>
    public bool TryPull(int bytes)
    {
        if ((uint)bytes > (uint)_length) return false;
        _offset += bytes;
        _length -= bytes;
        SyncPointers();
        return true;
    }

    /// <summary>Grows (positive) or trims (negative) the frame at its tail (skb_put / skb_trim).</summary>
    public bool TryResizeTail(int delta)
    {
        long newLength = (long)_length + delta;
        if (newLength < 0 || newLength > Capacity - _offset) return false;
        _length = (int)newLength;
        SyncPointers();
        return true;
    }

    /// <summary>Copies <paramref name="frame"/> in after the pool's default headroom and clears the metadata.</summary>
    public void Load(ReadOnlySpan<byte> frame)
    {
        int offset = Pool.Headroom;
        if (frame.Length > Capacity - offset) ThrowOutOfRoom(offset, frame.Length);
        ResetMetadata();
        frame.CopyTo(new Span<byte>(_area + offset, frame.Length));
        SetData(offset, frame.Length);
    }

    /// <summary>
    /// Clears the metadata and puts the data window at the pool's headroom with length 0 (the links are already
    /// clear: the pool clears them when a packet comes back).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ResetForRent()
    {
        ResetMetadata();
        int offset = Pool.Headroom;
        _offset = offset;
        _length = 0;
        byte* data = _area + offset;
        _meta->Data = data;
        _meta->DataEnd = data; // Length and QdiscLength are 0 from the clear
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ResetMetadata() => Unsafe.InitBlockUnaligned(_meta, 0, PacketMetadata.Size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SyncPointers()
    {
        byte* data = _area + _offset;
        _meta->Data = data;
        _meta->DataEnd = data + _length;
        _meta->Length = _length;
        _meta->QdiscLength = _length;
    }

    /// <summary>A copy of this packet (data and metadata) from the same pool, or null when the pool is empty.</summary>
    public Packet? Clone()
    {
        Packet? copy = Pool.Rent();
        if (copy is null) return null;
        Unsafe.CopyBlockUnaligned(copy._meta, _meta, PacketMetadata.Size);
        Data.CopyTo(new Span<byte>(copy._area + _offset, _length));
        copy.SetData(_offset, _length);
        copy.QdiscLength = QdiscLength;
        return copy;
    }

    /// <summary>Returns the packet to its pool. The caller must not touch it afterwards.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free() => Pool.Return(this);

    [Conditional("DEBUG")]
    internal void AssertOwned() => Debug.Assert(!InPool, "packet used after it was freed");

    private void ThrowOutOfRoom(int offset, int length) =>
        throw new ArgumentOutOfRangeException(nameof(length),
            $"a frame of {length} bytes at offset {offset} does not fit a slot of {Capacity} bytes");
}
