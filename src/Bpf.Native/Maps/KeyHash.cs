using System.Numerics;
using System.Runtime.CompilerServices;

namespace Bpf.Native.Maps;

/// <summary>
/// The hash of a key, seeded per map (the seed lives in the map's header so every process hashing into a shared
/// map agrees; the kernel seeds jhash randomly unless BPF_F_ZERO_SEED). 8 bytes at a time with a multiply-xorshift
/// mix: fast for the small keys maps hold.
/// </summary>
internal static unsafe class KeyHash
{
    private const ulong Multiplier = 0x9e3779b97f4a7c15;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Compute(byte* key, int length, uint seed)
    {
        ulong hash = seed ^ ((ulong)length * Multiplier);
        // The common keys (u32 index or address, u64) take one mix without a loop; same result as the loop below.
        if (length == 4)
        {
            hash = Mix(hash ^ Unsafe.ReadUnaligned<uint>(key));
            return (uint)(hash ^ (hash >> 32));
        }
        if (length == 8)
        {
            hash = Mix(hash ^ Unsafe.ReadUnaligned<ulong>(key));
            return (uint)(hash ^ (hash >> 32));
        }
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            hash = Mix(hash ^ Unsafe.ReadUnaligned<ulong>(key + i));
        }
        if (i < length)
        {
            ulong tail = 0;
            for (int shift = 0; i < length; i++, shift += 8)
            {
                tail |= (ulong)key[i] << shift;
            }
            hash = Mix(hash ^ tail);
        }
        return (uint)(hash ^ (hash >> 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong value)
    {
        value *= Multiplier;
        return value ^ BitOperations.RotateRight(value, 29);
    }
}
