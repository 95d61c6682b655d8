using System.Runtime.CompilerServices;
using Bpf.Native.Execution;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// Reading and writing packet bytes through helpers (net/core/filter.c bpf_skb_load_bytes, _relative,
/// bpf_skb_store_bytes, bpf_skb_pull_data). Frames here are always linear, so pulling data never moves it.
/// </summary>
public static unsafe class PacketBytesHelpers
{
    public const ulong RecomputeChecksum = 1UL << 0;  // BPF_F_RECOMPUTE_CSUM
    public const ulong InvalidateHash = 1UL << 1;     // BPF_F_INVALIDATE_HASH
    public const ulong HeaderStartMac = 0;            // BPF_HDR_START_MAC
    public const ulong HeaderStartNet = 1;            // BPF_HDR_START_NET

    /// <summary>
    /// bpf_skb_load_bytes(skb, offset, to, len): copies len bytes at offset; on failure zeroes <c>to</c> and returns
    /// -EFAULT.
    /// </summary>
    public static ulong SkbLoadBytes(BpfRunContext* run, ulong ctx, ulong offset, ulong to, ulong length, ulong r5)
    {
        uint len = (uint)length;
        if (SkbView.TryGet(run, out SkbView skb) && (uint)offset <= int.MaxValue
            && (ulong)(uint)offset + len <= (ulong)skb.Length)
        {
            Unsafe.CopyBlockUnaligned((byte*)to, skb.Data + (uint)offset, len);
            return 0;
        }
        Unsafe.InitBlockUnaligned((byte*)to, 0, len);
        return TcErrno.Result(TcErrno.Fault);
    }

    /// <summary>
    /// bpf_skb_load_bytes_relative(skb, offset, to, len, start_header): offset from the MAC or network header, at
    /// most 0xffff; on failure zeroes <c>to</c> and returns -EFAULT.
    /// </summary>
    public static ulong SkbLoadBytesRelative(BpfRunContext* run, ulong ctx, ulong offset, ulong to, ulong length, ulong startHeader)
    {
        uint len = (uint)length;
        if ((uint)offset <= 0xffff && SkbView.TryGet(run, out SkbView skb) && (uint)startHeader is 0 or 1)
        {
            ulong start = (uint)startHeader == HeaderStartNet ? (ulong)skb.MacHeaderBytes : 0;
            ulong at = start + (uint)offset;
            if (at + len <= (ulong)skb.Length)
            {
                Unsafe.CopyBlockUnaligned((byte*)to, skb.Data + at, len);
                return 0;
            }
        }
        Unsafe.InitBlockUnaligned((byte*)to, 0, len);
        return TcErrno.Result(TcErrno.Fault);
    }

    /// <summary>
    /// bpf_skb_store_bytes(skb, offset, from, len, flags): -EINVAL for unknown flags, -EFAULT past the frame.
    /// BPF_F_RECOMPUTE_CSUM updates a CHECKSUM_COMPLETE sum, which frames here never carry (their checksums are
    /// complete in the data), so it changes nothing; BPF_F_INVALIDATE_HASH clears the flow hash.
    /// </summary>
    public static ulong SkbStoreBytes(BpfRunContext* run, ulong ctx, ulong offset, ulong from, ulong length, ulong flags)
    {
        if ((flags & ~(RecomputeChecksum | InvalidateHash)) != 0)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        uint len = (uint)length;
        if ((uint)offset > int.MaxValue || !SkbView.TryGet(run, out SkbView skb)
            || (ulong)(uint)offset + len > (ulong)skb.Length)
        {
            return TcErrno.Result(TcErrno.Fault);
        }
        Buffer.MemoryCopy((byte*)from, skb.Data + (uint)offset, len, len);
        if ((flags & InvalidateHash) != 0)
        {
            skb.ClearHash();
        }
        return 0;
    }

    /// <summary>
    /// bpf_skb_pull_data(skb, len): makes len bytes (0: all) directly accessible; they already are, so this only
    /// fails (-ENOMEM) when the frame is shorter than len.
    /// </summary>
    public static ulong SkbPullData(BpfRunContext* run, ulong ctx, ulong length, ulong r3, ulong r4, ulong r5)
    {
        if (!SkbView.TryGet(run, out SkbView skb))
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        uint len = (uint)length;
        skb.Refresh();
        return len > (uint)skb.Length ? TcErrno.Result(TcErrno.NoMemory) : 0;
    }
}
