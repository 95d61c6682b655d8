using System.Buffers.Binary;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// The kernel's one's complement checksum arithmetic (include/net/checksum.h, RFC 1071, RFC 1624) on values as they
/// sit in memory (network order loaded natively), and x86-64's csum_partial (arch/x86/lib/csum-partial_64.c), whose
/// unfolded 32-bit result a program can observe through bpf_csum_diff.
/// </summary>
public static class InternetChecksum
{
    /// <summary>csum_add(): 32-bit one's complement addition.</summary>
    public static uint Add(uint sum, uint addend)
    {
        uint result = sum + addend;
        return result + (result < addend ? 1u : 0u);
    }

    /// <summary>csum_sub().</summary>
    public static uint Subtract(uint sum, uint addend) => Add(sum, ~addend);

    /// <summary>csum_fold(): folds a 32-bit partial sum to the 16-bit complemented checksum.</summary>
    public static ushort Fold(uint sum)
    {
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    private static ushort Add16(ushort sum, ushort addend)
    {
        int result = sum + addend;
        return (ushort)(result + (result >> 16));
    }

    /// <summary>csum_replace_by_diff(): applies a checksum difference to a stored checksum.</summary>
    public static ushort ReplaceByDiff(ushort check, uint diff) => Fold(Add(diff, ~(uint)check));

    /// <summary>csum_replace4(): a 32-bit field changed from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static ushort Replace4(ushort check, uint from, uint to) => Fold(Add(Subtract(~(uint)check, from), to));

    /// <summary>csum_replace2(): a 16-bit field changed (RFC 1624 eqn. 3).</summary>
    public static ushort Replace2(ushort check, ushort from, ushort to) =>
        (ushort)~Add16(Add16((ushort)~check, (ushort)~from), to);

    /// <summary>
    /// csum_partial() as x86-64 computes it for an 8-byte aligned buffer: 64-bit words added with carry, the tail
    /// zero-padded, folded to 32 bits with carry.
    /// </summary>
    public static uint Partial(ReadOnlySpan<byte> buffer, uint seed)
    {
        ulong sum = seed;
        int at = 0;
        while (buffer.Length - at >= 8)
        {
            sum = AddWithCarry(sum, BinaryPrimitives.ReadUInt64LittleEndian(buffer[at..]));
            at += 8;
        }
        int rest = buffer.Length - at;
        if (rest > 0)
        {
            Span<byte> tail = stackalloc byte[8];
            tail.Clear();
            buffer[at..].CopyTo(tail);
            sum = AddWithCarry(sum, BinaryPrimitives.ReadUInt64LittleEndian(tail));
        }
        uint high = (uint)(sum >> 32);
        uint low = (uint)sum;
        uint result = high + low;
        return result + (result < low ? 1u : 0u);
    }

    private static ulong AddWithCarry(ulong sum, ulong word)
    {
        ulong result = sum + word;
        return result + (result < word ? 1UL : 0UL);
    }
}
