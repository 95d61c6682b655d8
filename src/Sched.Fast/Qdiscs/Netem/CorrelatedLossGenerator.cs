namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// netem's correlated loss models (sch_netem.c struct clgstate, loss_4state(), loss_gilb_ell(); S. Salsano,
/// F. Ludovici, A. Ordine, "Definition of a general and intuitive loss model for packet networks and its
/// implementation in the Netem module in the Linux kernel"). Probabilities are scaled to 2^32 as tc sends them.
/// <para>
/// The 4-state model ("loss state"): 1 = packet sent in a gap period, 2 = sent within a burst, 3 = an isolated
/// loss within a gap, 4 = lost within a burst. A packet is lost when the chain moves into state 3 or 4. The kernel's
/// comparisons leave a value exactly equal to a threshold without a transition; those cases (probability 2^-32)
/// are kept as they are.
/// </para>
/// <para>
/// Gilbert-Elliott ("loss gemodel"): a good and a bad state; each packet first moves the chain (p: good to bad, r:
/// bad to good) and is then lost with the loss probability of the state it started in (1-k in good, 1-h in bad).
/// </para>
/// </summary>
public struct CorrelatedLossGenerator
{
    public const byte TxInGapPeriod = 1, TxInBurstPeriod = 2, LostInGapPeriod = 3, LostInBurstPeriod = 4;
    public const byte GoodState = 1, BadState = 2;

    /// <summary>The Markov chain's state (clgstate.state).</summary>
    public byte State;

    /// <summary>p13 for the 4-state model, p for Gilbert-Elliott.</summary>
    public uint A1;
    /// <summary>p31, or r.</summary>
    public uint A2;
    /// <summary>p32, or h (the kernel's h: the probability of no loss in the bad state).</summary>
    public uint A3;
    /// <summary>p14, or 1-k (the loss probability in the good state).</summary>
    public uint A4;
    /// <summary>p23 (4-state only).</summary>
    public uint A5;

    /// <summary>loss_4state(): advances the chain with one uniform value; true when the packet is lost.</summary>
    public bool FourStateLoss(uint rnd)
    {
        switch (State)
        {
            case TxInGapPeriod:
                if (rnd < A4)
                {
                    State = LostInGapPeriod;
                    return true;
                }
                if (A4 < rnd && rnd < unchecked(A1 + A4))
                {
                    State = LostInBurstPeriod;
                    return true;
                }
                if (unchecked(A1 + A4) < rnd) State = TxInGapPeriod;
                break;
            case TxInBurstPeriod:
                if (rnd < A5)
                {
                    State = LostInBurstPeriod;
                    return true;
                }
                State = TxInBurstPeriod;
                break;
            case LostInBurstPeriod:
                if (rnd < A3)
                {
                    State = TxInBurstPeriod;
                }
                else if (A3 < rnd && rnd < unchecked(A2 + A3))
                {
                    State = TxInGapPeriod;
                }
                else if (unchecked(A2 + A3) < rnd)
                {
                    State = LostInBurstPeriod;
                    return true;
                }
                break;
            case LostInGapPeriod:
                State = TxInGapPeriod;
                break;
        }
        return false;
    }

    /// <summary>loss_gilb_ell(): two uniform values per packet; true when the packet is lost.</summary>
    public bool GilbertElliottLoss(ref PrandomState source)
    {
        switch (State)
        {
            case GoodState:
                if (source.Next() < A1) State = BadState;
                return source.Next() < A4;
            case BadState:
                if (source.Next() < A2) State = GoodState;
                return source.Next() > A3;
        }
        return false;
    }
}
