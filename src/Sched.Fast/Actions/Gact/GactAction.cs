using Sched.Fast.Classifiers;
using Sched.Fast.Packets;

namespace Sched.Fast.Actions.Gact;

/// <summary>
/// The generic action (net/sched/act_gact.c): returns its verdict, or with the random option the fallback verdict
/// on a share of packets. Counts every packet, and drops when the verdict is shot.
/// </summary>
public sealed class GactAction : TcAction
{
    private ulong _random;
    private uint _packets;

    public GactAction(uint index, ulong seed) : base(index) => _random = seed | 1;

    public override string Kind => "gact";

    /// <summary>The random part, or null (tcfg_ptype none).</summary>
    public GactProb? Prob { get; private set; }

    internal void SetProb(GactProb prob) => Prob = prob;

    public override int Act(Packet packet, ref ClassifyResult result)
    {
        int action = Control;
        if (Prob is { } p)
        {
            bool fallback = p.Type == GactRandomType.Netrand
                ? NextBelow(p.Value) == 0        // gact_net_rand(): prandom_u32_max(pval) == 0
                : ++_packets % p.Value == 0;     // gact_determ(): every pval-th packet
            if (fallback) action = p.Control;
        }
        CountPacket(packet);
        if (action == TcAct.Shot) Stats.Drops++;
        TouchLastUse(packet);
        return action;
    }

    /// <summary>prandom_u32_max(n): a 32-bit pseudo-random value scaled into [0, n) (reciprocal_scale).</summary>
    private uint NextBelow(uint n)
    {
        // xorshift64*: fast, and seeded per action so tests are reproducible.
        ulong x = _random;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _random = x;
        uint r = (uint)((x * 0x2545F4914F6CDD1DUL) >> 32);
        return (uint)(((ulong)r * n) >> 32);
    }

    public override ActionSpec DumpOptions() => new GactSpec { Index = Index, Control = Control, Prob = Prob };
}
