using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Packets;

/// <summary>
/// An intrusive FIFO of packets (the kernel's sk_buff_head): links live in the packets, so queueing allocates
/// nothing. It also counts packets and accounted bytes (<see cref="Packet.QdiscLength"/>), which qdiscs report as
/// qlen and backlog. A mutable struct meant to be embedded in qdisc fields and flow arrays: always use it through
/// a field or a <c>ref</c> local, never through a copy.
/// </summary>
public struct PacketQueue
{
    private Packet? _head;
    private Packet? _tail;
    private int _count;
    private long _bytes;

    public readonly Packet? Head => _head;
    public readonly Packet? Tail => _tail;
    public readonly int Count => _count;
    public readonly long Bytes => _bytes;
    public readonly bool IsEmpty => _head is null;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnqueueTail(Packet p)
    {
        Debug.Assert(p.Next is null && p.Prev is null, "packet already linked into a queue");
        p.Prev = _tail;
        if (_tail is null) _head = p; else _tail.Next = p;
        _tail = p;
        _count++;
        _bytes += p.QdiscLength;
    }

    /// <summary>Puts a packet back at the front (a requeue, or a peeked packet returned).</summary>
    public void EnqueueHead(Packet p)
    {
        Debug.Assert(p.Next is null && p.Prev is null, "packet already linked into a queue");
        p.Next = _head;
        if (_head is null) _tail = p; else _head.Prev = p;
        _head = p;
        _count++;
        _bytes += p.QdiscLength;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Packet? DequeueHead()
    {
        Packet? p = _head;
        if (p is null) return null;
        _head = p.Next;
        if (_head is null) _tail = null; else _head.Prev = null;
        p.Next = null;
        _count--;
        _bytes -= p.QdiscLength;
        return p;
    }

    public Packet? DequeueTail()
    {
        Packet? p = _tail;
        if (p is null) return null;
        _tail = p.Prev;
        if (_tail is null) _head = null; else _tail.Next = null;
        p.Prev = null;
        _count--;
        _bytes -= p.QdiscLength;
        return p;
    }

    /// <summary>Unlinks <paramref name="p"/>, which must be in this queue.</summary>
    public void Remove(Packet p)
    {
        if (p.Prev is null) _head = p.Next; else p.Prev.Next = p.Next;
        if (p.Next is null) _tail = p.Prev; else p.Next.Prev = p.Prev;
        p.Next = null;
        p.Prev = null;
        _count--;
        _bytes -= p.QdiscLength;
    }

    /// <summary>Inserts <paramref name="p"/> right after <paramref name="after"/> (null: at the head).</summary>
    public void InsertAfter(Packet? after, Packet p)
    {
        if (after is null) { EnqueueHead(p); return; }
        if (after.Next is null) { EnqueueTail(p); return; }
        Packet next = after.Next;
        p.Prev = after;
        p.Next = next;
        after.Next = p;
        next.Prev = p;
        _count++;
        _bytes += p.QdiscLength;
    }

    /// <summary>Frees every packet and empties the queue; returns how many were freed.</summary>
    public int Purge()
    {
        int n = 0;
        while (DequeueHead() is { } p)
        {
            p.Free();
            n++;
        }
        return n;
    }

    /// <summary>Moves all packets of <paramref name="other"/> to the tail of this queue.</summary>
    public void Splice(ref PacketQueue other)
    {
        if (other._head is null) return;
        if (_tail is null) _head = other._head;
        else { _tail.Next = other._head; other._head.Prev = _tail; }
        _tail = other._tail;
        _count += other._count;
        _bytes += other._bytes;
        other = default;
    }

    [Conditional("DEBUG")]
    public readonly void AssertInvariants()
    {
        int n = 0;
        long bytes = 0;
        Packet? prev = null;
        for (Packet? p = _head; p is not null; p = p.Next)
        {
            Debug.Assert(ReferenceEquals(p.Prev, prev), "broken back link");
            n++;
            bytes += p.QdiscLength;
            prev = p;
        }
        Debug.Assert(ReferenceEquals(prev, _tail), "tail is not the last packet");
        Debug.Assert(n == _count, $"count {_count} but {n} packets linked");
        Debug.Assert(bytes == _bytes, $"bytes {_bytes} but {bytes} linked");
    }
}
