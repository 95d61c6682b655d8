using System.Runtime.CompilerServices;

namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// The kernel's seedable pseudo-random generator (lib/random32.c prandom_u32_state(): L'Ecuyer's maximally
/// equidistributed combined Tausworthe generator, taus113, period about 2^113). netem draws from one of these since
/// Linux 6.7 so that <c>seed</c> makes its decisions reproducible. A mutable struct: keep it in a field and pass it
/// by <c>ref</c>.
/// </summary>
public struct PrandomState
{
    private uint _s1, _s2, _s3, _s4;

    /// <summary>include/linux/prandom.h prandom_seed_state(): spreads a 64-bit seed over the four words.</summary>
    public static PrandomState FromSeed(ulong seed)
    {
        uint i = (uint)(((seed >> 32) ^ (seed << 10) ^ seed) & 0xFFFF_FFFFUL);
        return FromWords(i, i, i, i);
    }

    /// <summary>
    /// A state from four words, each raised to the minimum its component needs (prandom.h __seed(): a Tausworthe
    /// component whose significant bits are all zero would stay zero forever).
    /// </summary>
    public static PrandomState FromWords(uint s1, uint s2, uint s3, uint s4) => new()
    {
        _s1 = Floor(s1, 2),
        _s2 = Floor(s2, 8),
        _s3 = Floor(s3, 16),
        _s4 = Floor(s4, 128),
    };

    private static uint Floor(uint x, uint m) => x < m ? x + m : x;

    /// <summary>prandom_u32_state(): the next 32 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Next()
    {
        _s1 = Step(_s1, 6, 13, 4294967294U, 18);
        _s2 = Step(_s2, 2, 27, 4294967288U, 2);
        _s3 = Step(_s3, 13, 21, 4294967280U, 7);
        _s4 = Step(_s4, 3, 12, 4294967168U, 13);
        return _s1 ^ _s2 ^ _s3 ^ _s4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Step(uint s, int a, int b, uint c, int d) => ((s & c) << d) ^ (((s << a) ^ s) >> b);

    /// <summary>
    /// A uniform value in [0, <paramref name="ceiling"/>) without modulo bias (include/linux/random.h
    /// get_random_u32_below(): Lemire's multiply-and-reject). <paramref name="ceiling"/> must be positive.
    /// </summary>
    public uint Below(uint ceiling)
    {
        while (true)
        {
            ulong product = (ulong)ceiling * Next();
            // Reject the few low products that would make some results more likely than others.
            if ((ceiling & (ceiling - 1)) == 0 || (uint)product >= unchecked(0u - ceiling) % ceiling)
                return (uint)(product >> 32);
        }
    }

    /// <summary>prandom_warmup(): ten draws, as the kernel does after seeding from entropy.</summary>
    public void Warmup()
    {
        for (int i = 0; i < 10; i++) Next();
    }
}
