using System.Runtime.CompilerServices;
using Bpf.Native.Execution;
using Bpf.Native.Maps;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// Sending data to userspace: bpf_perf_event_output (the skb variant, net/core/filter.c bpf_skb_event_output: up to
/// 0xfffff bytes of the frame may follow the program's data, selected by BPF_F_CTXLEN_MASK) and the ring buffer
/// helpers (kernel/bpf/ringbuf.c).
/// </summary>
public static unsafe class OutputHelpers
{
    public const ulong IndexMask = 0xffffffffUL;       // BPF_F_INDEX_MASK
    public const ulong ContextLengthMask = 0xfffffUL << 32; // BPF_F_CTXLEN_MASK

    /// <summary>Largest record a perf ring takes (its header's size field is 16 bits).</summary>
    private const int MaxRecordBytes = ushort.MaxValue;

    [ThreadStatic]
    private static byte[]? t_scratch;

    /// <summary>bpf_perf_event_output(skb, map, flags, data, size): 0 or -errno.</summary>
    public static ulong PerfEventOutput(BpfRunContext* run, ulong ctx, ulong map, ulong flags, ulong data, ulong size)
    {
        ulong frameBytes = (flags & ContextLengthMask) >> 32;
        if ((flags & ~(ContextLengthMask | IndexMask)) != 0)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        if (BpfMap.FromHandle((nint)map) is not PerfEventArrayMap perf)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        if (frameBytes == 0)
        {
            return TcErrno.Result(perf.Output(flags & IndexMask, (byte*)data, size));
        }
        if (!SkbView.TryGet(run, out SkbView skb) || frameBytes > (ulong)skb.Length)
        {
            return TcErrno.Result(TcErrno.Fault);
        }
        ulong total = size + frameBytes;
        if (total > MaxRecordBytes)
        {
            return TcErrno.Result(TcErrno.TooBig);
        }
        byte[] scratch = t_scratch ??= GC.AllocateUninitializedArray<byte>(MaxRecordBytes, pinned: true);
        fixed (byte* buffer = scratch)
        {
            Unsafe.CopyBlockUnaligned(buffer, (byte*)data, (uint)size);
            Unsafe.CopyBlockUnaligned(buffer + size, skb.Data, (uint)frameBytes);
            return TcErrno.Result(perf.Output(flags & IndexMask, buffer, total));
        }
    }

    /// <summary>bpf_ringbuf_output(ringbuf, data, size, flags): 0, -EAGAIN when full, -EINVAL for bad flags.</summary>
    public static ulong RingbufOutput(BpfRunContext* run, ulong map, ulong data, ulong size, ulong flags, ulong r5) =>
        BpfMap.FromHandle((nint)map) is RingBufMap ring
            ? TcErrno.Result(ring.Output((byte*)data, size, flags))
            : TcErrno.Result(TcErrno.Invalid);

    /// <summary>bpf_ringbuf_reserve(ringbuf, size, flags): a record to fill, or NULL.</summary>
    public static ulong RingbufReserve(BpfRunContext* run, ulong map, ulong size, ulong flags, ulong r4, ulong r5) =>
        BpfMap.FromHandle((nint)map) is RingBufMap ring ? (ulong)ring.Reserve(size, flags) : 0;

    /// <summary>bpf_ringbuf_submit(data, flags): the record becomes visible to the consumer.</summary>
    public static ulong RingbufSubmit(BpfRunContext* run, ulong data, ulong flags, ulong r3, ulong r4, ulong r5)
    {
        RingBufMap.Submit((byte*)data, flags);
        return 0;
    }

    /// <summary>bpf_ringbuf_discard(data, flags): the consumer skips the record.</summary>
    public static ulong RingbufDiscard(BpfRunContext* run, ulong data, ulong flags, ulong r3, ulong r4, ulong r5)
    {
        RingBufMap.Discard((byte*)data, flags);
        return 0;
    }
}
