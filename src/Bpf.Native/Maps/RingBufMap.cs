using System.Runtime.CompilerServices;

namespace Bpf.Native.Maps;

/// <summary>
/// BPF_MAP_TYPE_RINGBUF (kernel/bpf/ringbuf.c): a multi-producer, single-consumer byte ring of max_entries bytes
/// (a power of 2, whole pages) with the kernel's record layout, so a consumer written for the kernel's ring reads
/// it: each record starts with an 8-byte header { u32 len (bit 31 BUSY while reserved, bit 30 DISCARD); u32 pg_off },
/// records are 8-byte aligned, consumer_pos and producer_pos are u64 byte counters on their own pages.
/// Memory: page 0 map header and lock, page 1 consumer_pos, page 2 producer_pos, pages 3.. data.
/// One difference: the kernel maps the data twice so a record may wrap; here a record that would wrap is preceded
/// by a discarded filler record up to the end of the ring, which every consumer already skips.
/// Notification (BPF_RB_NO_WAKEUP/FORCE_WAKEUP) is accepted and ignored: consumers poll.
/// </summary>
public sealed unsafe class RingBufMap : BpfMap
{
    public const uint BusyBit = 1u << 31;
    public const uint DiscardBit = 1u << 30;
    public const int RecordHeaderBytes = 8;
    public const ulong NoWakeup = 1;
    public const ulong ForceWakeup = 2;

    private const int LockOffset = MapHeader.ControlOffset;
    private const int ConsumerPage = 1;
    private const int ProducerPage = 2;
    private const int DataPage = 3;

    private readonly byte* _data;
    private readonly ulong _mask;

    internal RingBufMap(MapDefinition definition, MapMemory memory)
        : base(definition, memory)
    {
        _data = memory.Base + DataPage * MapMemory.PageBytes;
        _mask = definition.MaxEntries - 1UL;
    }

    internal static long RegionBytes(MapDefinition definition) => DataPage * MapMemory.PageBytes + (long)definition.MaxEntries;

    public ulong DataSize => _mask + 1;

    internal ulong* ConsumerPosition => (ulong*)(Memory.Base + ConsumerPage * MapMemory.PageBytes);

    internal ulong* ProducerPosition => (ulong*)(Memory.Base + ProducerPage * MapMemory.PageBytes);

    internal byte* Data => _data;

    public override byte* Lookup(byte* key) => null;

    public override int Update(byte* key, byte* value, ulong flags) => BpfErrno.NotSupported;

    public override int Delete(byte* key) => BpfErrno.NotSupported;

    /// <summary>bpf_ringbuf_reserve: room for <paramref name="size"/> bytes, or null when full or flags are set.</summary>
    public byte* Reserve(ulong size, ulong flags)
    {
        if (flags != 0 || size > uint.MaxValue / 4)
        {
            return null;
        }
        ulong length = (size + RecordHeaderBytes + 7) & ~7UL;
        if (length > DataSize)
        {
            return null;
        }
        ulong consumer = Volatile.Read(ref *ConsumerPosition);
        int* lockWord = (int*)(Memory.Base + LockOffset);
        SharedSpinLock.Enter(lockWord);
        ulong producer = *ProducerPosition;
        ulong offset = producer & _mask;
        ulong filler = offset + length > DataSize ? DataSize - offset : 0;
        ulong newProducer = producer + filler + length;
        // Kernel: the producer may not get more than (size - 1) bytes ahead of the consumer.
        if (newProducer - consumer > _mask)
        {
            SharedSpinLock.Exit(lockWord);
            return null;
        }
        if (filler != 0)
        {
            WriteHeader(_data + offset, (uint)(filler - RecordHeaderBytes) | DiscardBit);
        }
        byte* header = _data + ((producer + filler) & _mask);
        WriteHeader(header, (uint)size | BusyBit);
        Volatile.Write(ref *ProducerPosition, newProducer);
        SharedSpinLock.Exit(lockWord);
        return header + RecordHeaderBytes;
    }

    /// <summary>bpf_ringbuf_submit: the record becomes visible to the consumer.</summary>
    public static void Submit(byte* sample, ulong flags) => Commit(sample, discard: false);

    /// <summary>bpf_ringbuf_discard: the consumer skips the record.</summary>
    public static void Discard(byte* sample, ulong flags) => Commit(sample, discard: true);

    /// <summary>bpf_ringbuf_output: reserve, copy, submit; -EAGAIN when there is no room.</summary>
    public int Output(byte* data, ulong size, ulong flags)
    {
        if ((flags & ~(NoWakeup | ForceWakeup)) != 0)
        {
            return BpfErrno.Invalid;
        }
        byte* sample = Reserve(size, 0);
        if (sample == null)
        {
            return BpfErrno.TryAgain;
        }
        Unsafe.CopyBlockUnaligned(sample, data, (uint)size);
        Submit(sample, flags);
        return 0;
    }

    /// <summary>bpf_ringbuf_query: BPF_RB_AVAIL_DATA (0), BPF_RB_RING_SIZE (1), BPF_RB_CONS_POS (2), BPF_RB_PROD_POS (3).</summary>
    public ulong Query(ulong flags) => flags switch
    {
        0 => Volatile.Read(ref *ProducerPosition) - Volatile.Read(ref *ConsumerPosition),
        1 => DataSize,
        2 => Volatile.Read(ref *ConsumerPosition),
        3 => Volatile.Read(ref *ProducerPosition),
        _ => 0,
    };

    private void WriteHeader(byte* header, uint length)
    {
        // pg_off: pages from the start of map memory to the header's page (bpf_ringbuf_rec_pg_off).
        uint pageOffset = (uint)(((ulong)header & ~(ulong)(MapMemory.PageBytes - 1)) - (ulong)Memory.Base) / MapMemory.PageBytes;
        *(uint*)(header + 4) = pageOffset;
        Volatile.Write(ref *(uint*)header, length);
    }

    private static void Commit(byte* sample, bool discard)
    {
        uint* header = (uint*)(sample - RecordHeaderBytes);
        uint length = (*header & ~BusyBit) | (discard ? DiscardBit : 0);
        Interlocked.Exchange(ref *header, length);
    }
}
