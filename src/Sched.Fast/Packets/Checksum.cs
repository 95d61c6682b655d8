using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Packets;

/// <summary>
/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words, and its
/// incremental update when a field changes (RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m')).
/// </summary>
public static class Checksum
{
    /// <summary>The 32-bit partial sum of <paramref name="data"/> (not folded, not complemented), plus <paramref name="initial"/>.</summary>
    public static ulong Sum(ReadOnlySpan<byte> data, ulong initial = 0)
    {
        ulong sum = initial;
        int i = 0;
        // Eight bytes at a time: 64-bit accumulation of 32-bit big-endian words cannot overflow for any frame.
        for (; i + 8 <= data.Length; i += 8)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
            sum += BinaryPrimitives.ReadUInt32BigEndian(data[(i + 4)..]);
        }
        for (; i + 2 <= data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length) sum += (ulong)data[i] << 8;
        return sum;
    }

    /// <summary>Folds a partial sum to 16 bits (csum_fold without the complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Fold(ulong sum)
    {
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    /// <summary>The checksum field value for <paramref name="data"/>: ~fold(sum).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data, ulong initial = 0) => (ushort)~Fold(Sum(data, initial));

    /// <summary>True when <paramref name="data"/> (checksum field included) sums to 0xFFFF, i.e. verifies.</summary>
    public static bool Verify(ReadOnlySpan<byte> data, ulong initial = 0) => Fold(Sum(data, initial)) == 0xFFFF;

    /// <summary>The IPv4 pseudo-header sum for a TCP/UDP checksum (RFC 793/768).</summary>
    public static ulong PseudoHeaderV4(ReadOnlySpan<byte> src4, ReadOnlySpan<byte> dst4, byte protocol, int l4Length) =>
        Sum(src4) + Sum(dst4) + protocol + (ulong)(uint)l4Length;

    /// <summary>The IPv6 pseudo-header sum (RFC 8200 section 8.1).</summary>
    public static ulong PseudoHeaderV6(ReadOnlySpan<byte> src16, ReadOnlySpan<byte> dst16, byte nextHeader, int l4Length) =>
        Sum(src16) + Sum(dst16) + nextHeader + (ulong)(uint)l4Length;

    /// <summary>RFC 1624: the new checksum after a 16-bit word changes from <paramref name="oldWord"/> to <paramref name="newWord"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Update16(ushort checksum, ushort oldWord, ushort newWord)
    {
        uint sum = (ushort)~checksum + (uint)(ushort)~oldWord + newWord;
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>RFC 1624 for a 32-bit field (an address): two 16-bit updates.</summary>
    public static ushort Update32(ushort checksum, uint oldValue, uint newValue) =>
        Update16(Update16(checksum, (ushort)(oldValue >> 16), (ushort)(newValue >> 16)),
            (ushort)oldValue, (ushort)newValue);

    /// <summary>RFC 1624 over changed bytes: adjusts for <paramref name="oldBytes"/> replaced by <paramref name="newBytes"/> (same even length, same alignment).</summary>
    public static ushort Update(ushort checksum, ReadOnlySpan<byte> oldBytes, ReadOnlySpan<byte> newBytes)
    {
        ulong sum = (ushort)~checksum;
        sum += (ushort)~Fold(Sum(oldBytes));
        sum += Fold(Sum(newBytes));
        return (ushort)~Fold(sum);
    }
}
