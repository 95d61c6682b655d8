using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sched.Fast.Packets;

namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// netem's tfifo: packets ordered by their time to send, ties in arrival order. As in sch_netem.c (tfifo_enqueue(),
/// netem_peek()), a packet not earlier than the newest one goes to a plain linked list in O(1), which is every
/// packet when there is no jitter; the others go to a sorted structure, here a binary min-heap keyed by (time,
/// arrival number) where the kernel uses an rbtree. The earlier of the two heads leaves first, the list's on a
/// tie: a list packet always arrived before any tied heap packet, so the order is the same stable order as the
/// kernel's. The heap array grows when the backlog outgrows it and is reused afterwards: nothing is allocated
/// per packet in steady state.
/// <para>The time to send lives in the packet's <see cref="PacketMetadata.QdiscScratch"/> (the kernel's skb->cb).</para>
/// </summary>
internal sealed class NetemTimeQueue
{
    private struct HeapEntry
    {
        public long Time;
        public ulong Order;
        public Packet Packet;
    }

    private PacketQueue _list;
    private HeapEntry[] _heap = new HeapEntry[16];
    private int _heapCount;
    private long _heapBytes;
    private ulong _nextOrder;
    // The latest time in the heap (skb_rb_last()): the heap only ever loses its minimum, so a running maximum stays
    // exact until the heap empties.
    private long _heapMaxTime;

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
        if (head is null || top.Time < TimeToSend(head)) return top.Packet;
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
        Debug.Assert(_heapCount > 0 && ReferenceEquals(_heap[0].Packet, p), "tfifo: removing a packet that is not first");
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
            _heap[i].Packet.Free();
            _heap[i] = default;
        }
        _heapCount = 0;
        _heapBytes = 0;
    }

    private void HeapPush(long time, Packet p)
    {
        if (_heapCount == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        if (_heapCount == 0 || time > _heapMaxTime) _heapMaxTime = time;
        int i = _heapCount++;
        var entry = new HeapEntry { Time = time, Order = _nextOrder++, Packet = p };
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Before(in entry, in _heap[parent])) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = entry;
        _heapBytes += p.QdiscLength;
    }

    private void HeapPop()
    {
        _heapBytes -= _heap[0].Packet.QdiscLength;
        int n = --_heapCount;
        HeapEntry last = _heap[n];
        _heap[n] = default;
        if (n == 0) return;
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && Before(in _heap[child + 1], in _heap[child])) child++;
            if (!Before(in _heap[child], in last)) break;
            _heap[i] = _heap[child];
            i = child;
        }
        _heap[i] = last;
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
            if (i > 0) Debug.Assert(!Before(in _heap[i], in _heap[(i - 1) >> 1]), "tfifo: heap order broken");
            Debug.Assert(_heap[i].Time == TimeToSend(_heap[i].Packet), "tfifo: heap key differs from the packet's time");
            bytes += _heap[i].Packet.QdiscLength;
            max = Math.Max(max, _heap[i].Time);
        }
        Debug.Assert(bytes == _heapBytes, "tfifo: heap byte count");
        Debug.Assert(_heapCount == 0 || max == _heapMaxTime, "tfifo: latest heap time");
    }
}
