using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Bpf.Native.Execution;
using Bpf.Native.Isa;

namespace Bpf.Native.Semantics;

/// <summary>
/// Legacy packet loads LD_ABS / LD_IND (RFC 9669 section 5.5): r0 = the big-endian byte, half or word at offset
/// imm (ABS) or src + imm (IND) of the packet. The kernel rewrites them into calls of bpf_skb_load_helper_*
/// (net/core/filter.c, bpf_gen_ld_abs): the offset is src + imm truncated to a signed 32-bit int; a negative offset
/// addresses the SKF_NET_OFF / SKF_LL_OFF areas (bpf_internal_load_pointer_neg_helper); if the bytes are not in the
/// packet the program ends and returns 0. These methods return the value, or -1 when the program must end.
/// </summary>
public static unsafe class PacketSemantics
{
    /// <summary>SKF_NET_OFF: offsets from here address the network header (linux/filter.h).</summary>
    public const int NetworkOffsetBase = -0x100000;

    /// <summary>SKF_LL_OFF: offsets from here address the link-layer (mac) header.</summary>
    public const int LinkLayerOffsetBase = -0x200000;

    /// <summary>What the engines return from a program whose packet load fell outside the packet.</summary>
    public const ulong OutOfBoundsResult = 0;

    [Semantics(Operation.PacketLoad8)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Load8(BpfRunContext* run, ulong offset)
    {
        byte* at = Resolve(run, (int)offset, 1);
        return at == null ? -1 : *at;
    }

    [Semantics(Operation.PacketLoad16)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Load16(BpfRunContext* run, ulong offset)
    {
        byte* at = Resolve(run, (int)offset, 2);
        return at == null ? -1 : BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(at, 2));
    }

    [Semantics(Operation.PacketLoad32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Load32(BpfRunContext* run, ulong offset)
    {
        byte* at = Resolve(run, (int)offset, 4);
        return at == null ? -1 : BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(at, 4));
    }

    /// <summary>The address of <paramref name="size"/> packet bytes at <paramref name="offset"/>, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Resolve(BpfRunContext* run, int offset, uint size)
    {
        uint length = run->PacketLength;
        if (offset >= 0)
        {
            return (uint)offset <= length && length - (uint)offset >= size ? run->PacketData + offset : null;
        }
        return ResolveNegative(run, offset, size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte* ResolveNegative(BpfRunContext* run, int offset, uint size)
    {
        long at;
        if (offset >= NetworkOffsetBase)
        {
            at = (long)run->NetworkHeaderOffset + (offset - NetworkOffsetBase);
        }
        else if (offset >= LinkLayerOffsetBase)
        {
            at = offset - LinkLayerOffsetBase;
        }
        else
        {
            return null;
        }
        return at >= 0 && at + size <= run->PacketLength ? run->PacketData + at : null;
    }
}
