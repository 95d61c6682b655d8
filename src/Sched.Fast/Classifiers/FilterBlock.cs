using Sched.Fast.Actions;
using Sched.Fast.Packets;

namespace Sched.Fast.Classifiers;

/// <summary>
/// The filters attached at one point (struct tcf_block): chains by index. <see cref="Classify"/> is the kernel's
/// tcf_classify(): walk chain 0 in priority order, skip classifiers of another protocol, restart on reclassify,
/// continue in another chain on goto chain, give up with shot after 16 restarts (net/sched/cls_api.c).
/// </summary>
public sealed class FilterBlock
{
    private const int MaxReclassifyLoop = 16;
    private readonly SortedDictionary<uint, FilterChain> _chains = [];
    private FilterChain? _chain0;

    public IEnumerable<FilterChain> Chains => _chains.Values;

    public bool IsEmpty => _chains.Values.All(c => c.IsEmpty);

    /// <summary>
    /// Whether chain 0 holds any classifier: the kernel's <c>q->filter_list != NULL</c> test that fq_codel, sfq
    /// and others make per packet to choose between their own hash and the filters. Allocation-free.
    /// </summary>
    public bool HasFilters => _chain0 is { IsEmpty: false };

    public FilterChain? FindChain(uint index) => _chains.GetValueOrDefault(index);

    public FilterChain GetOrCreateChain(uint index)
    {
        if (!_chains.TryGetValue(index, out FilterChain? chain))
        {
            chain = new FilterChain(this, index);
            _chains.Add(index, chain);
            if (index == 0) _chain0 = chain;
        }
        return chain;
    }

    public void RemoveChain(uint index)
    {
        _chains.Remove(index);
        if (index == 0) _chain0 = null;
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
