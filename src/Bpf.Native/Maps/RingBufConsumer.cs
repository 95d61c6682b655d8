namespace Bpf.Native.Maps;

/// <summary>
/// Reads a <see cref="RingBufMap"/>'s records in order, as libbpf's ring_buffer__consume does: stops at the first
/// record still reserved (BUSY), skips discarded ones, and advances consumer_pos so producers get the room back.
/// One consumer per ring at a time; it may be in another process that opened the pinned map.
/// </summary>
public sealed unsafe class RingBufConsumer
{
    private readonly RingBufMap _ring;

    public RingBufConsumer(RingBufMap ring)
    {
        _ring = ring;
    }

    /// <summary>Delivers every record submitted so far; returns how many.</summary>
    public int Consume(RingBufRecordHandler handler)
    {
        ulong consumer = Volatile.Read(ref *_ring.ConsumerPosition);
        ulong size = _ring.DataSize;
        int delivered = 0;
        while (true)
        {
            ulong producer = Volatile.Read(ref *_ring.ProducerPosition);
            if (consumer >= producer)
            {
                break;
            }
            ulong offset = consumer & (size - 1);
            uint header = Volatile.Read(ref *(uint*)(_ring.Data + offset));
            if ((header & RingBufMap.BusyBit) != 0)
            {
                break;
            }
            ulong length = header & ~(RingBufMap.BusyBit | RingBufMap.DiscardBit);
            ulong total = (length + RingBufMap.RecordHeaderBytes + 7) & ~7UL;
            if (offset + total > size)
            {
                throw new MapFormatException($"ring buffer '{_ring.Name}': record at {consumer} of {length} bytes runs past the ring");
            }
            if ((header & RingBufMap.DiscardBit) == 0)
            {
                handler(new ReadOnlySpan<byte>(_ring.Data + offset + RingBufMap.RecordHeaderBytes, (int)length));
                delivered++;
            }
            consumer += total;
            Volatile.Write(ref *_ring.ConsumerPosition, consumer);
        }
        return delivered;
    }
}
