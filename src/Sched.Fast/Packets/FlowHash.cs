using System.Numerics;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Packets;

/// <summary>
/// The flow hash qdiscs and filters use (the kernel's skb_get_hash() / skb_get_hash_perturb()): a keyed hash of
/// the flow keys, made symmetric first (__flow_hash_consistentify: the lower address, and with equal addresses the
/// lower port, goes first) so both directions of a connection hash alike. Bob Jenkins' lookup3 final mix
/// (the kernel's jhash_3words) spreads the bits; a perturbation key re-seeds it (sfq's perturb, fq_codel's per-qdisc
/// key). The unperturbed hash is cached in the packet's metadata like skb->hash.
/// </summary>
public static class FlowHash
{
    private const uint InitVal = 0xDEADBEEF; // JHASH_INITVAL

    /// <summary>skb_get_hash(): the cached hash, computed with <paramref name="seed"/> when not yet valid.</summary>
    public static uint Get(Packet packet, uint seed = 0)
    {
        ref PacketMetadata m = ref packet.Meta;
        if (m.HashValid != 0) return m.Hash;
        FlowKeys keys = FlowKeys.Extract(packet.Data);
        uint h = Compute(in keys, seed);
        m.Hash = h;
        m.HashValid = 1;
        m.L4Hash = keys.HasPorts ? (byte)1 : (byte)0;
        return h;
    }

    /// <summary>skb_get_hash_perturb(): a hash of the packet's flow under <paramref name="perturbation"/>, not cached.</summary>
    public static uint GetPerturbed(Packet packet, uint perturbation)
    {
        FlowKeys keys = FlowKeys.Extract(packet.Data);
        return Compute(in keys, perturbation);
    }

    /// <summary>The hash of <paramref name="keys"/> under <paramref name="seed"/>; never 0 (0 means "no hash").</summary>
    public static uint Compute(in FlowKeys keys, uint seed)
    {
        uint src = keys.Src, dst = keys.Dst;
        ushort sport = keys.SrcPort, dport = keys.DstPort;
        if (dst < src || (dst == src && dport < sport))
        {
            (src, dst) = (dst, src);
            (sport, dport) = (dport, sport);
        }
        uint ports = ((uint)sport << 16) | dport;
        uint a = src, b = dst, c = ports ^ ((uint)keys.IpProtocol << 24) ^ keys.EtherType;
        uint h = Jhash3Words(a, b, c, seed);
        return h == 0 ? 1 : h;
    }

    /// <summary>reciprocal_scale(): maps a 32-bit hash onto [0, <paramref name="range"/>) without a division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Scale(uint hash, uint range) => (uint)(((ulong)hash * range) >> 32);

    /// <summary>jhash_3words(): lookup3's final mix of three words plus an init value.</summary>
    public static uint Jhash3Words(uint a, uint b, uint c, uint initval)
    {
        a += InitVal + (3u << 2) + initval;
        b += InitVal + (3u << 2) + initval;
        c += InitVal + (3u << 2) + initval;
        // __jhash_final
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
        return c;
    }
}
