using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Bpf.Native.Maps;

/// <summary>
/// The receiving end of one perf_event_array slot: a power-of-2 byte ring with records in the perf mmap layout
/// (linux/perf_event.h): struct perf_event_header { u32 type = PERF_RECORD_SAMPLE (9); u16 misc; u16 size }, then
/// the raw sample { u32 size; u8 data[] } padded to 8 bytes. Records may wrap around the end, as in perf's ring.
/// Records that do not fit are counted as lost (the kernel emits PERF_RECORD_LOST).
/// </summary>
public sealed unsafe class PerfEventRing : IDisposable
{
    public const uint RecordSample = 9;
    private const int EventHeaderBytes = 8;

    private readonly byte* _data;
    private readonly ulong _mask;
    private readonly Lock _writeLock = new();
    private ulong _head;
    private ulong _tail;
    private long _lost;

    public PerfEventRing(int dataBytes)
    {
        if (dataBytes < 64 || (dataBytes & (dataBytes - 1)) != 0)
        {
            throw new ArgumentException($"perf ring size {dataBytes} must be a power of 2 of at least 64 bytes");
        }
        _data = (byte*)NativeMemory.AllocZeroed((nuint)dataBytes);
        _mask = (ulong)dataBytes - 1;
    }

    public long LostRecords => Volatile.Read(ref _lost);

    /// <summary>Writes one sample (bpf_perf_event_output); -ENOSPC when the ring is full.</summary>
    internal int Write(byte* sample, uint size)
    {
        uint rawSize = (uint)(((size + 4 + 7) & ~7u) - 4);
        ulong total = EventHeaderBytes + 4 + (ulong)rawSize;
        if (total > ushort.MaxValue)
        {
            return BpfErrno.TooBig;
        }
        lock (_writeLock)
        {
            if (_head + total - Volatile.Read(ref _tail) > _mask + 1)
            {
                _lost++;
                return BpfErrno.NoSpace;
            }
            Span<byte> header = stackalloc byte[EventHeaderBytes + 4];
            Unsafe.WriteUnaligned(ref header[0], RecordSample);
            Unsafe.WriteUnaligned(ref header[4], (ushort)0);
            Unsafe.WriteUnaligned(ref header[6], (ushort)total);
            Unsafe.WriteUnaligned(ref header[8], rawSize);
            CopyIn(_head, header);
            CopyIn(_head + (ulong)header.Length, new ReadOnlySpan<byte>(sample, (int)size));
            Volatile.Write(ref _head, _head + total);
        }
        return 0;
    }

    /// <summary>Reads every pending sample's raw data (including its padding), oldest first.</summary>
    public int Consume(RingBufRecordHandler handler)
    {
        int delivered = 0;
        ulong tail = Volatile.Read(ref _tail);
        ulong head = Volatile.Read(ref _head);
        Span<byte> header = stackalloc byte[EventHeaderBytes + 4];
        while (tail < head)
        {
            CopyOut(tail, header);
            ushort total = Unsafe.ReadUnaligned<ushort>(ref header[6]);
            uint rawSize = Unsafe.ReadUnaligned<uint>(ref header[8]);
            var raw = new byte[rawSize];
            CopyOut(tail + (ulong)header.Length, raw);
            handler(raw);
            delivered++;
            tail += total;
            Volatile.Write(ref _tail, tail);
        }
        return delivered;
    }

    private void CopyIn(ulong position, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            _data[(position + (ulong)i) & _mask] = bytes[i];
        }
    }

    private void CopyOut(ulong position, Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = _data[(position + (ulong)i) & _mask];
        }
    }

    public void Dispose() => NativeMemory.Free(_data);
}
