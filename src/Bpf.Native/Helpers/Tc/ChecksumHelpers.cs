using System.Runtime.CompilerServices;
using Bpf.Native.Execution;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// Checksum helpers (net/core/filter.c bpf_l3_csum_replace, bpf_l4_csum_replace, bpf_csum_diff, bpf_csum_update).
/// Frames here carry complete checksums in their data (ports complete partial ones on receive), so they behave as
/// the kernel's CHECKSUM_NONE / UNNECESSARY skbs: l4 replacements update the field with or without
/// BPF_F_PSEUDO_HDR, and csum_update (which needs CHECKSUM_COMPLETE) returns -ENOTSUPP.
/// </summary>
public static unsafe class ChecksumHelpers
{
    public const ulong HeaderFieldMask = 0xf;          // BPF_F_HDR_FIELD_MASK
    public const ulong PseudoHeader = 1UL << 4;        // BPF_F_PSEUDO_HDR
    public const ulong MarkMangled0 = 1UL << 5;        // BPF_F_MARK_MANGLED_0
    public const ulong MarkEnforce = 1UL << 6;         // BPF_F_MARK_ENFORCE
    public const ulong Ipv6 = 1UL << 7;                // BPF_F_IPV6

    /// <summary>CSUM_MANGLED_0: what a UDP checksum that computes to 0 is written as.</summary>
    public const ushort Mangled0 = 0xffff;

    /// <summary>bpf_scratchpad: csum_diff handles at most 512 bytes (from_size + to_size).</summary>
    public const int DiffMaxBytes = 512;

    /// <summary>bpf_l3_csum_replace(skb, offset, from, to, flags): flags' low nibble is the field size (0, 2 or 4).</summary>
    public static ulong L3CsumReplace(BpfRunContext* run, ulong ctx, ulong offset, ulong from, ulong to, ulong flags)
    {
        if ((flags & ~HeaderFieldMask) != 0)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        if (!TryChecksumField(run, offset, out ushort* check))
        {
            return TcErrno.Result(TcErrno.Fault);
        }
        switch (flags & HeaderFieldMask)
        {
            case 0:
                if (from != 0)
                {
                    return TcErrno.Result(TcErrno.Invalid);
                }
                Unsafe.WriteUnaligned(check, InternetChecksum.ReplaceByDiff(Unsafe.ReadUnaligned<ushort>(check), (uint)to));
                return 0;
            case 2:
                Unsafe.WriteUnaligned(check, InternetChecksum.Replace2(Unsafe.ReadUnaligned<ushort>(check), (ushort)from, (ushort)to));
                return 0;
            case 4:
                Unsafe.WriteUnaligned(check, InternetChecksum.Replace4(Unsafe.ReadUnaligned<ushort>(check), (uint)from, (uint)to));
                return 0;
            default:
                return TcErrno.Result(TcErrno.Invalid);
        }
    }

    /// <summary>
    /// bpf_l4_csum_replace(skb, offset, from, to, flags): as l3, plus BPF_F_MARK_MANGLED_0 (leave a zero checksum
    /// alone unless BPF_F_MARK_ENFORCE, write a result of 0 as 0xffff), BPF_F_PSEUDO_HDR and BPF_F_IPV6.
    /// </summary>
    public static ulong L4CsumReplace(BpfRunContext* run, ulong ctx, ulong offset, ulong from, ulong to, ulong flags)
    {
        if ((flags & ~(MarkMangled0 | MarkEnforce | PseudoHeader | HeaderFieldMask | Ipv6)) != 0)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        if (!TryChecksumField(run, offset, out ushort* check))
        {
            return TcErrno.Result(TcErrno.Fault);
        }
        bool markMangled = (flags & MarkMangled0) != 0;
        ushort old = Unsafe.ReadUnaligned<ushort>(check);
        if (markMangled && (flags & MarkEnforce) == 0 && old == 0)
        {
            return 0;
        }
        ushort updated;
        switch (flags & HeaderFieldMask)
        {
            case 0:
                if (from != 0)
                {
                    return TcErrno.Result(TcErrno.Invalid);
                }
                updated = InternetChecksum.ReplaceByDiff(old, (uint)to);
                break;
            case 2:
                updated = InternetChecksum.Replace2(old, (ushort)from, (ushort)to);
                break;
            case 4:
                updated = InternetChecksum.Replace4(old, (uint)from, (uint)to);
                break;
            default:
                return TcErrno.Result(TcErrno.Invalid);
        }
        if (markMangled && updated == 0)
        {
            updated = Mangled0;
        }
        Unsafe.WriteUnaligned(check, updated);
        return 0;
    }

    /// <summary>
    /// bpf_csum_diff(from, from_size, to, to_size, seed): the checksum of the negated "from" words followed by the
    /// "to" words, seeded; sizes are multiples of 4 and together at most 512 bytes, else -EINVAL.
    /// </summary>
    public static ulong CsumDiff(BpfRunContext* run, ulong from, ulong fromSize, ulong to, ulong toSize, ulong seed)
    {
        uint fromBytes = (uint)fromSize;
        uint toBytes = (uint)toSize;
        ulong total = (ulong)fromBytes + toBytes;
        if (((fromBytes | toBytes) & 3) != 0 || total > DiffMaxBytes)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        Span<byte> diff = stackalloc byte[DiffMaxBytes];
        int at = 0;
        for (uint i = 0; i < fromBytes; i += 4, at += 4)
        {
            Unsafe.WriteUnaligned(ref diff[at], ~Unsafe.ReadUnaligned<uint>((byte*)from + i));
        }
        for (uint i = 0; i < toBytes; i += 4, at += 4)
        {
            Unsafe.WriteUnaligned(ref diff[at], Unsafe.ReadUnaligned<uint>((byte*)to + i));
        }
        return InternetChecksum.Partial(diff[..at], (uint)seed);
    }

    /// <summary>bpf_csum_update(skb, csum): only CHECKSUM_COMPLETE frames have a running sum; here -ENOTSUPP.</summary>
    public static ulong CsumUpdate(BpfRunContext* run, ulong ctx, ulong csum, ulong r3, ulong r4, ulong r5) =>
        TcErrno.Result(TcErrno.NotSupported);

    /// <summary>The 16-bit checksum at an even offset within the frame (offset at most 0xffff), else false.</summary>
    private static bool TryChecksumField(BpfRunContext* run, ulong offset, out ushort* check)
    {
        check = null;
        uint at = (uint)offset;
        if (at > 0xffff || (at & 1) != 0 || !SkbView.TryGet(run, out SkbView skb) || at + 2 > (uint)skb.Length)
        {
            return false;
        }
        check = (ushort*)(skb.Data + at);
        return true;
    }
}
