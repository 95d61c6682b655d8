using System.Runtime.CompilerServices;

namespace Sched.Fast.Shaping;

/// <summary>
/// A token bucket counted in time, as tbf, htb and police count it: tokens are nanoseconds of transmission at the
/// bucket's rate, the depth is the burst expressed the same way, and sending a packet costs its
/// <see cref="PschedRate.LengthToNs"/>. A bucket with negative tokens is in debt and must wait that long.
/// </summary>
public struct TokenBucket
{
    public TokenBucket(long depthNs)
    {
        DepthNs = depthNs;
        TokensNs = depthNs;
    }

    /// <summary>The bucket depth (tbf's buffer or mtu, htb's buffer or cbuffer), in ns.</summary>
    public long DepthNs;

    /// <summary>Current tokens in ns; negative while in debt.</summary>
    public long TokensNs;

    /// <summary>The tokens after <paramref name="elapsedNs"/> more have flowed in, capped at the depth.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly long Refilled(long elapsedNs)
    {
        long toks = TokensNs + elapsedNs;
        return toks > DepthNs ? DepthNs : toks;
    }

    /// <summary>Refills the bucket to its depth (after a reset or a change of depth).</summary>
    public void Fill() => TokensNs = DepthNs;

    public override readonly string ToString() => $"{TokensNs}/{DepthNs} ns";
}
