using Bpf.Native.Execution;

namespace Bpf.Native.Helpers.Tc;

/// <summary>bpf_get_hash_recalc, bpf_set_hash_invalid, bpf_set_hash: the packet's flow hash (skb->hash).</summary>
public static unsafe class HashHelpers
{
    /// <summary>bpf_get_hash_recalc(skb): skb_get_hash(), computing the flow hash when it is not valid.</summary>
    public static ulong GetHashRecalc(BpfRunContext* run, ulong ctx, ulong r2, ulong r3, ulong r4, ulong r5) =>
        SkbView.TryGet(run, out SkbView skb) ? skb.Host->RecalculateHash(run) : 0;

    /// <summary>bpf_set_hash_invalid(skb): skb_clear_hash(); the next get recomputes it.</summary>
    public static ulong SetHashInvalid(BpfRunContext* run, ulong ctx, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (SkbView.TryGet(run, out SkbView skb))
        {
            skb.ClearHash();
        }
        return 0;
    }

    /// <summary>bpf_set_hash(skb, hash): a software hash (__skb_set_sw_hash(skb, hash, true)), returned until cleared.</summary>
    public static ulong SetHash(BpfRunContext* run, ulong ctx, ulong hash, ulong r3, ulong r4, ulong r5)
    {
        if (SkbView.TryGet(run, out SkbView skb))
        {
            skb.Hash = (uint)hash;
            skb.HashValid = 1;
            skb.L4Hash = 1;
        }
        return 0;
    }
}
