using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sched.Fast.Packets;

namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// netem's tfifo: packets ordered by their time to send, ties in arrival order. As in sch_netem.c (tfifo_enqueue(),
/// netem_peek()), a packet not earlier than the newest one goes to a plain linked list in O(1), which is every
/// packet when there is no jitter; the others go to a sorted structure, here a 4-ary min-heap keyed by (time,
/// arrival number) where the kernel uses an rbtree. The earlier of the two heads leaves first, the list's on a
/// tie: a list packet always arrived before any tied heap packet, so the order is the same stable order as the
/// kernel's. The heap array grows when the backlog outgrows it and is reused afterwards: nothing is allocated
/// per packet in steady state.
/// <para>The time to send lives in the packet's <see cref="PacketMetadata.QdiscScratch"/> (the kernel's skb->cb).</para>
/// </summary>
internal sealed class NetemTimeQueue
{
    // Heap entries are unmanaged (the packet is found through a slot number) so that sifting moves plain bytes,
    // without a GC write barrier per move.
    private struct HeapEntry
    {
        public long Time;
        public ulong Order;
        public int Slot;
    }

    // A 4-ary heap: half the depth of a binary one, and the four children share a cache line or two.
    private const int Arity = 4;

    private PacketQueue _list;
    private HeapEntry[] _heap = new HeapEntry[16];
    private Packet?[] _slots = new Packet?[16];
    private int[] _freeSlots = new int[16];
    private int _freeSlotCount;
    private int _heapCount;
    private long _heapBytes;
    private ulong _nextOrder;
    // The latest time in the heap (skb_rb_last()): the heap only ever loses its minimum, so a running maximum stays
    // exact until the heap empties.
    private long _heapMaxTime;

    public NetemTimeQueue()
    {
        for (int i = 0; i < _freeSlots.Length; i++) _freeSlots[i] = _freeSlots.Length - 1 - i;
        _freeSlotCount = _freeSlots.Length;
    }

    /// <summary>Packets held (q->t_len).</summary>
    public int Count => _list.Count + _heapCount;

    /// <summary>Accounted bytes held.</summary>
    public long Bytes => _list.Bytes + _heapBytes;

    public static long TimeToSend(Packet p) => p.Meta.QdiscScratch;

    /// <summary>tfifo_enqueue(): <paramref name="p"/> with its time to send already in QdiscScratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enqueue(Packet p)
    {
        long t = TimeToSend(p);
        Packet? tail = _list.Tail;
        if (tail is null || t >= TimeToSend(tail))
        {
            _list.EnqueueTail(p);
            return;
        }
        HeapPush(t, p);
    }

    /// <summary>netem_peek(): the packet due first, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Packet? Peek()
    {
        Packet? head = _list.Head;
        if (_heapCount == 0) return head;
        ref HeapEntry top = ref _heap[0];
        if (head is null || top.Time < TimeToSend(head)) return _slots[top.Slot];
        return head;
    }

    /// <summary>netem_erase_head(): removes <paramref name="p"/>, which must be what <see cref="Peek"/> returned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RemoveFirst(Packet p)
    {
        if (ReferenceEquals(p, _list.Head))
        {
            _list.DequeueHead();
            return;
        }
        Debug.Assert(_heapCount > 0 && ReferenceEquals(_slots[_heap[0].Slot], p), "tfifo: removing a packet that is not first");
        HeapPop();
    }

    /// <summary>The latest time to send in the queue, for rate's "last packet" reference; false when empty.</summary>
    public bool TryGetLatestTime(out long time)
    {
        bool any = false;
        time = 0;
        if (_heapCount > 0)
        {
            time = _heapMaxTime;
            any = true;
        }
        if (_list.Tail is { } tail && (!any || TimeToSend(tail) > time))
        {
            time = TimeToSend(tail);
            any = true;
        }
        return any;
    }

    /// <summary>tfifo_reset(): frees every packet.</summary>
    public void Purge()
    {
        _list.Purge();
        for (int i = 0; i < _heapCount; i++)
        {
            int slot = _heap[i].Slot;
            _slots[slot]!.Free();
            _slots[slot] = null;
            _freeSlots[_freeSlotCount++] = slot;
        }
        _heapCount = 0;
        _heapBytes = 0;
    }

    private void HeapPush(long time, Packet p)
    {
        if (_heapCount == _heap.Length) Grow();
        if (_heapCount == 0 || time > _heapMaxTime) _heapMaxTime = time;
        int slot = _freeSlots[--_freeSlotCount];
        _slots[slot] = p;
        var entry = new HeapEntry { Time = time, Order = _nextOrder++, Slot = slot };
        HeapEntry[] heap = _heap;
        int i = _heapCount++;
        while (i > 0)
        {
            int parent = (i - 1) / Arity;
            if (!Before(in entry, in heap[parent])) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = entry;
        _heapBytes += p.QdiscLength;
    }

    private void HeapPop()
    {
        HeapEntry[] heap = _heap;
        int freed = heap[0].Slot;
        _heapBytes -= _slots[freed]!.QdiscLength;
        _slots[freed] = null;
        _freeSlots[_freeSlotCount++] = freed;
        int n = --_heapCount;
        if (n == 0) return;
        HeapEntry last = heap[n];
        int i = 0;
        while (true)
        {
            int first = Arity * i + 1;
            if (first >= n) break;
            int best = first;
            int end = Math.Min(first + Arity, n);
            for (int c = first + 1; c < end; c++)
            {
                if (Before(in heap[c], in heap[best])) best = c;
            }
            if (!Before(in heap[best], in last)) break;
            heap[i] = heap[best];
            i = best;
        }
        heap[i] = last;
    }

    /// <summary>Doubles the heap and the slot table; only when the backlog outgrows everything seen before.</summary>
    private void Grow()
    {
        int old = _heap.Length;
        Array.Resize(ref _heap, old * 2);
        Array.Resize(ref _slots, old * 2);
        Array.Resize(ref _freeSlots, old * 2);
        for (int s = old * 2 - 1; s >= old; s--) _freeSlots[_freeSlotCount++] = s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in HeapEntry a, in HeapEntry b) => a.Time < b.Time || (a.Time == b.Time && a.Order < b.Order);

    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        _list.AssertInvariants();
        long previous = long.MinValue, bytes = 0, max = long.MinValue;
        for (Packet? p = _list.Head; p is not null; p = p.Next)
        {
            Debug.Assert(TimeToSend(p) >= previous, "tfifo: list out of time order");
            previous = TimeToSend(p);
        }
        for (int i = 0; i < _heapCount; i++)
        {
            if (i > 0) Debug.Assert(!Before(in _heap[i], in _heap[(i - 1) / Arity]), "tfifo: heap order broken");
            Packet? p = _slots[_heap[i].Slot];
            Debug.Assert(p is not null && _heap[i].Time == TimeToSend(p), "tfifo: heap key differs from the packet's time");
            bytes += p!.QdiscLength;
            max = Math.Max(max, _heap[i].Time);
        }
        Debug.Assert(bytes == _heapBytes, "tfifo: heap byte count");
        Debug.Assert(_heapCount == 0 || max == _heapMaxTime, "tfifo: latest heap time");
        Debug.Assert(_heapCount + _freeSlotCount == _slots.Length, "tfifo: slots lost");
    }
}
