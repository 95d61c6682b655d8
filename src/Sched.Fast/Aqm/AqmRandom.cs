using System.Runtime.CompilerServices;

namespace Sched.Fast.Aqm;

/// <summary>
/// The random numbers AQMs draw (the kernel's get_random_u32() in red_random(), sfq's perturbation key): a
/// xorshift64* generator in a struct, so a qdisc holds its own stream, allocates nothing, and a test can seed it to
/// make a run reproducible. Not cryptographic; the kernel's use is statistical too.
/// </summary>
public struct AqmRandom
{
    private ulong _state;

    public AqmRandom(ulong seed) => _state = Mix(seed);

    /// <summary>A generator seeded from the process's shared random source.</summary>
    public static AqmRandom CreateSeeded() => new((ulong)Random.Shared.NextInt64() ^ (ulong)Environment.TickCount64);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextUInt32()
    {
        ulong x = _state;
        if (x == 0) x = 0x9E3779B97F4A7C15UL; // an unseeded (default) struct still works
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _state = x;
        return (uint)((x * 0x2545F4914F6CDD1DUL) >> 32);
    }

    /// <summary>SplitMix64's finaliser: spreads a small or patterned seed over all 64 bits; never returns 0.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return z == 0 ? 1 : z;
    }
}
