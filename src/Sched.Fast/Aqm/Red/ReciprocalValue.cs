using System.Numerics;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Aqm.Red;

/// <summary>
/// lib/reciprocal_div.c: a divisor turned into a multiplier and two shifts, so that a / d costs a multiply.
/// RED draws its random thresholds as reciprocal_divide(random, max_P_reciprocal).
/// </summary>
public readonly record struct ReciprocalValue(uint M, byte Sh1, byte Sh2)
{
    /// <summary>reciprocal_value(d), d &gt; 0.</summary>
    public static ReciprocalValue Of(uint d)
    {
        int l = Fls(d - 1);
        ulong m = ((1UL << 32) * ((1UL << l) - d)) / d;
        ++m;
        return new ReciprocalValue((uint)m, (byte)Math.Min(l, 1), (byte)Math.Max(l - 1, 0));
    }

    /// <summary>reciprocal_divide(a, R): a / d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Divide(uint a)
    {
        uint t = (uint)(((ulong)a * M) >> 32);
        return (t + ((a - t) >> Sh1)) >> Sh2;
    }

    /// <summary>fls(): 1-based index of the most significant set bit; 0 for 0.</summary>
    public static int Fls(uint x) => x == 0 ? 0 : 32 - BitOperations.LeadingZeroCount(x);
}
