using Sched.Fast.Actions;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;

namespace Sched.Fast.Classifiers;

/// <summary>
/// The filters attached at one point (struct tcf_block): chains by index, kept in creation order as the kernel
/// lists them. <see cref="Classify"/> is the kernel's tcf_classify(): walk chain 0 in priority order, skip
/// classifiers of another protocol, restart on reclassify, continue in another chain on goto chain, give up with
/// shot after 16 restarts (net/sched/cls_api.c).
/// </summary>
public sealed class FilterBlock
{
    private const int MaxReclassifyLoop = 16;
    private readonly List<FilterChain> _chains = [];
    private FilterChain? _chain0;

    /// <summary>Every chain, in creation order (block->chain_list), including chains held only by actions.</summary>
    public IEnumerable<FilterChain> Chains => _chains;

    /// <summary>The chains a dump shows: all but those only actions reference.</summary>
    public IEnumerable<FilterChain> VisibleChains => _chains.Where(c => !c.IsHeldByActionsOnly);

    public bool IsEmpty => _chains.All(c => c.IsEmpty);

    /// <summary>
    /// Whether chain 0 holds any classifier: the kernel's <c>q->filter_list != NULL</c> test that fq_codel, sfq
    /// and others make per packet to choose between their own hash and the filters. Allocation-free.
    /// </summary>
    public bool HasFilters => _chain0 is { IsEmpty: false };

    /// <summary>
    /// block->q: the qdisc whose filters these are (classes are bound through it, and u32 shares its hash tables
    /// per qdisc). Set by whoever resolves the block for a command.
    /// </summary>
    public Qdisc? Owner { get; set; }

    /// <summary>block->classid: the parent the last filter was added under; dumps print it as "parent".</summary>
    public uint ClassId { get; set; }

    /// <summary>tcf_chain_lookup(): the chain with <paramref name="index"/>, visible or not.</summary>
    public FilterChain? FindChain(uint index)
    {
        foreach (FilterChain c in _chains)
        {
            if (c.Index == index) return c;
        }
        return null;
    }

    /// <summary>
    /// A chain to attach classifiers to directly (qdisc code and tests that build filters without commands):
    /// created if needed, and held for good.
    /// </summary>
    public FilterChain GetOrCreateChain(uint index) => GetChain(index, create: true, byAction: false)!;

    /// <summary>Removes a chain whatever references it (used when a block is torn down by hand).</summary>
    public void RemoveChain(uint index)
    {
        FilterChain? c = FindChain(index);
        if (c is not null) Detach(c);
    }

    /// <summary>
    /// __tcf_chain_get(): a reference to chain <paramref name="index"/>, creating it when allowed; null when it
    /// does not exist and <paramref name="create"/> is false.
    /// </summary>
    public FilterChain? GetChain(uint index, bool create, bool byAction)
    {
        FilterChain? chain = FindChain(index);
        if (chain is not null)
        {
            chain.RefCount++;
        }
        else
        {
            if (!create) return null;
            chain = new FilterChain(this, index) { RefCount = 1 };
            _chains.Add(chain);
            if (index == 0) _chain0 = chain;
        }
        if (byAction) chain.ActionRefCount++;
        return chain;
    }

    /// <summary>
    /// __tcf_chain_put(): drops a reference; the last one removes the chain. With
    /// <paramref name="explicitlyCreated"/> it drops the "tc chain add" reference, if the chain has one.
    /// </summary>
    public void PutChain(FilterChain chain, bool byAction = false, bool explicitlyCreated = false)
    {
        if (explicitlyCreated)
        {
            if (!chain.ExplicitlyCreated) return;
            chain.ExplicitlyCreated = false;
        }
        if (byAction) chain.ActionRefCount--;
        if (--chain.RefCount == 0) Detach(chain);
    }

    private void Detach(FilterChain chain)
    {
        _chains.Remove(chain);
        if (ReferenceEquals(_chain0, chain)) _chain0 = null;
    }

    /// <summary>
    /// tcf_block_put() of the last owner (the qdisc is being destroyed): drops explicit chain references and
    /// flushes every chain, destroying classifiers and releasing their actions.
    /// </summary>
    public void Flush()
    {
        foreach (FilterChain chain in _chains.ToArray())
        {
            if (chain.IsHeldByActionsOnly) continue;
            chain.RefCount++;
            PutChain(chain, explicitlyCreated: true);
            chain.Flush();
            PutChain(chain);
        }
    }

    /// <summary>
    /// Runs the block on <paramref name="packet"/>: a TC_ACT_* code with <paramref name="result"/> filled, or
    /// <see cref="TcAct.Unspec"/> when nothing matched.
    /// </summary>
    public int Classify(Packet packet, ref ClassifyResult result)
    {
        FilterChain? start = _chain0;
        if (start is null) return TcAct.Unspec;
        int limit = 0;
        FilterChain chain = start;
        ushort protocol = PacketProtocol(packet);
    Restart:
        Classifier[] classifiers = chain.ClassifierArray;
        for (int i = 0; i < classifiers.Length; i++)
        {
            Classifier tp = classifiers[i];
            if (tp.Protocol != protocol && tp.Protocol != EtherTypes.All) continue;
            int err = tp.Classify(packet, ref result);
            if (err == TcAct.Reclassify)
            {
                chain = start;
                goto Reset;
            }
            if (TcAct.IsExt(err, TcAct.GotoChain))
            {
                FilterChain? target = result.GotoChain;
                if (target is null) return TcAct.Shot;
                chain = target;
                goto Reset;
            }
            if (err >= 0) return err;
        }
        return TcAct.Unspec;
    Reset:
        if (limit++ >= MaxReclassifyLoop) return TcAct.Shot;
        protocol = PacketProtocol(packet);
        goto Restart;
    }

    /// <summary>skb_protocol(skb, false): the outer VLAN protocol when a tag is held out of band.</summary>
    private static ushort PacketProtocol(Packet p)
    {
        ref PacketMetadata m = ref p.Meta;
        return m.VlanPresent != 0 ? m.VlanProto : m.Protocol;
    }
}
