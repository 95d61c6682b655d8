using System.Runtime.CompilerServices;

namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// netem's correlated random numbers (sch_netem.c struct crndstate, get_crandom()): each value is a weighted mean
/// of a fresh uniform value and the previous result, <c>next = (u * (2^32 - rho') + last * rho') &gt;&gt; 32</c> with
/// <c>rho' = rho + 1</c> and rho the correlation scaled to 2^32.
/// <para>
/// The kernel's known quirk, kept on purpose: this is an AR(1) filter over uniform values, so the results are no
/// longer uniform. Their mean stays 2^31 but their spread shrinks by sqrt((1 - r) / (1 + r)); a probability test
/// such as <c>loss &gt;= value</c> then fires less often than configured (loss 10% with 50% correlation drops far
/// fewer than 10%), while consumers that take the value modulo a small number (the delay tables) see it as almost
/// uniform again, losing most of the correlation. tc-netem(8) calls loss correlation deprecated for this reason.
/// </para>
/// </summary>
public struct CorrelatedRandom
{
    /// <summary>The previous result (crndstate.last).</summary>
    public uint Last;

    /// <summary>The correlation scaled to 2^32 (crndstate.rho); 0 means independent values.</summary>
    public uint Rho;

    /// <summary>init_crandom(): a new correlation, with the history started from <paramref name="last"/>.</summary>
    public CorrelatedRandom(uint rho, uint last)
    {
        Rho = rho;
        Last = last;
    }

    /// <summary>get_crandom(): the next value, drawn from <paramref name="source"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Next(ref PrandomState source)
    {
        if (Rho == 0) return source.Next();
        ulong value = source.Next();
        ulong rho = (ulong)Rho + 1;
        // The sum fits 64 bits: value and last are below 2^32 and the two weights add up to 2^32.
        uint answer = (uint)((value * ((1UL << 32) - rho) + Last * rho) >> 32);
        Last = answer;
        return answer;
    }
}
