using Sched.Fast.Actions;
using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers;

/// <summary>
/// The kernel half of filters and chains (net/sched/cls_api.c tc_new_tfilter(), tc_del_tfilter(),
/// tc_get_tfilter(), tc_dump_tfilter(), tc_ctl_chain(), tc_dump_chain()): the same lookups, the same checks in the
/// same order, the same extack messages. Each request either succeeds or leaves everything as it was.
/// </summary>
public sealed class FilterApi
{
    /// <summary>The pref "allocate one" asks tcf_chain_tp_find() for (prio 0x80000000).</summary>
    private const uint AllocatePrio = 0x8000;

    /// <summary>tcf_auto_prio() of an empty tail: TC_H_MAJ(0xC0000000).</summary>
    private const uint FirstAutoPrio = 0xC000;

    private readonly FilterNamespace _ns;

    public FilterApi(FilterNamespace ns) => _ns = ns;

    /// <summary>tc_new_tfilter(): "tc filter add|change|replace".</summary>
    public void NewFilter(FilterApiRequest r)
    {
        uint prio = r.Prio;
        bool prioAllocate = false;
        if (prio == 0)
        {
            if (!r.Create) throw KernelError.ExtAck("Invalid filter command with priority of zero");
            prio = AllocatePrio;
            prioAllocate = true;
        }
        uint parent = r.Parent;
        FilterBlock block = BlockLookup.Find(_ns, r.IfIndex, r.BlockIndex, ref parent, out ClassfulQdisc? q,
            out QdiscClass? cl);
        block.ClassId = parent;
        uint chainIndex = CheckChainIndex(r.Chain);
        FilterChain chain = block.GetChain(chainIndex, create: true, byAction: false)!;

        Classifier? tp = null;
        bool tpCreated = false;
        try
        {
            if (!chain.TryFind(prio, r.Protocol, prioAllocate, out tp, out Classifier? next))
                throw KernelError.ExtAck("Filter with specified priority/protocol not found");
            if (tp is null)
            {
                if (r.Kind is null || r.Protocol == 0)
                    throw KernelError.ExtAck("Filter kind and protocol must be specified");
                if (!r.Create)
                    throw KernelError.ExtAck("Need both RTM_NEWTFILTER and NLM_F_CREATE to create a new filter");
                if (prioAllocate) prio = next is null ? FirstAutoPrio : next.Prio - 1;
                ClassifierKind kind = ClassifierKinds.Find(r.Kind) ?? throw KernelError.ExtAck("TC classifier not found");
                tp = kind.Create(prio, r.Protocol, chain, _ns);
                tp.Namespace = _ns;
                chain.Insert(tp);
                tpCreated = true;
            }
            if (r.Kind is not null && r.Kind != tp.Kind)
                throw KernelError.ExtAck("Specified filter kind does not match existing one");

            FilterNode? fh = tp.Get(r.Handle);
            if (fh is null)
            {
                if (!r.Create)
                    throw KernelError.ExtAck("Need both RTM_NEWTFILTER and NLM_F_CREATE to create a new filter");
            }
            else if (r.Exclusive)
            {
                throw KernelError.ExtAck("Filter already exists");
            }

            tp.Change(new FilterChange
            {
                Handle = r.Handle,
                Options = r.Options,
                Existing = fh,
                Replace = !r.Create,
                BaseClass = cl,
                AtIngressOrClsact = q is null || q.Kind is "ingress" or "clsact",
            });
        }
        catch (TcException)
        {
            if (tpCreated)
            {
                // tcf_chain_tp_delete_empty(): the new, still empty classifier goes, with its chain reference.
                chain.Remove(tp!);
                tp!.Destroy();
            }
            block.PutChain(chain);
            throw;
        }
        // A new classifier keeps the chain reference taken above; an existing one already holds its own.
        if (!tpCreated) block.PutChain(chain);
    }

    /// <summary>tc_del_tfilter(): "tc filter delete", a whole classifier, or every classifier of a chain.</summary>
    public void DeleteFilter(FilterApiRequest r)
    {
        if (r.Prio == 0 && (r.Protocol != 0 || r.Handle != 0 || r.Kind is not null))
            throw KernelError.ExtAck("Cannot flush filters with protocol, handle or kind set");
        uint parent = r.Parent;
        FilterBlock block = BlockLookup.Find(_ns, r.IfIndex, r.BlockIndex, ref parent, out _, out _);
        uint chainIndex = CheckChainIndex(r.Chain);
        FilterChain? chain = block.GetChain(chainIndex, create: false, byAction: false);
        if (chain is null)
        {
            if (r.Prio == 0) return; // flushing a chain that does not exist: nothing to do
            throw KernelError.ExtAck("Cannot find specified filter chain");
        }
        try
        {
            if (r.Prio == 0)
            {
                chain.Flush();
                return;
            }
            if (!chain.TryFind(r.Prio, r.Protocol, false, out Classifier? tp, out _) || tp is null)
                throw KernelError.ExtAck("Filter with specified priority/protocol not found");
            if (r.Kind is not null && r.Kind != tp.Kind)
                throw KernelError.ExtAck("Specified filter kind does not match existing one");
            if (r.Handle == 0)
            {
                RemoveClassifier(chain, tp);
                return;
            }
            FilterNode fh = tp.Get(r.Handle) ?? throw KernelError.ExtAck("Specified filter handle not found");
            tp.Delete(fh, out bool last);
            if (last) RemoveClassifier(chain, tp);
        }
        finally
        {
            block.PutChain(chain);
        }
    }

    private static void RemoveClassifier(FilterChain chain, Classifier tp)
    {
        chain.Remove(tp);
        tp.Destroy();
        chain.Block.PutChain(chain);
    }

    /// <summary>tc_get_tfilter(): "tc filter get", the reply message.</summary>
    public FilterMessage GetFilter(FilterApiRequest r)
    {
        if (r.Prio == 0) throw KernelError.ExtAck("Invalid filter command with priority of zero");
        uint parent = r.Parent;
        FilterBlock block = BlockLookup.Find(_ns, r.IfIndex, r.BlockIndex, ref parent, out _, out _);
        uint chainIndex = CheckChainIndex(r.Chain);
        FilterChain chain = block.GetChain(chainIndex, create: false, byAction: false) ??
                            throw KernelError.ExtAck("Cannot find specified filter chain");
        try
        {
            if (!chain.TryFind(r.Prio, r.Protocol, false, out Classifier? tp, out _) || tp is null)
                throw KernelError.ExtAck("Filter with specified priority/protocol not found");
            if (r.Kind is not null && r.Kind != tp.Kind)
                throw KernelError.ExtAck("Specified filter kind does not match existing one");
            FilterNode fh = tp.Get(r.Handle) ?? throw KernelError.ExtAck("Specified filter handle not found");
            return Fill(tp, fh, r.IfIndex, r.BlockIndex, parent);
        }
        finally
        {
            block.PutChain(chain);
        }
    }

    /// <summary>
    /// tc_dump_tfilter(): every classifier line and filter of the block under <paramref name="parent"/>, chains
    /// in creation order, filtered by pref, protocol and chain when those are non-zero/given.
    /// </summary>
    public List<FilterMessage> DumpFilters(int ifIndex, uint blockIndex, uint parent, uint prio, ushort protocol,
        uint? chainIndex)
    {
        var messages = new List<FilterMessage>();
        FilterBlock? block;
        if (ifIndex == BlockLookup.MagicBlockIfIndex)
        {
            block = _ns.SharedBlockResolver?.Invoke(blockIndex);
        }
        else
        {
            NetDevice? dev = _ns.Devices.Find(ifIndex);
            block = dev is null ? null : BlockLookup.TryFindForDump(_ns, dev, parent, out _);
        }
        if (block is null) return messages;
        uint shownParent = block.ClassId;
        foreach (FilterChain chain in block.VisibleChains.ToArray())
        {
            if (chainIndex is { } c && c != chain.Index) continue;
            foreach (Classifier tp in chain.Classifiers)
            {
                if (prio != 0 && prio != tp.Prio) continue;
                if (protocol != 0 && protocol != tp.Protocol) continue;
                messages.Add(Fill(tp, null, ifIndex, blockIndex, shownParent));
                foreach (FilterNode node in tp.Walk()) messages.Add(Fill(tp, node, ifIndex, blockIndex, shownParent));
            }
        }
        return messages;
    }

    /// <summary>tcf_fill_node().</summary>
    private FilterMessage Fill(Classifier tp, FilterNode? fh, int ifIndex, uint blockIndex, uint parent) => new()
    {
        IfIndex = ifIndex,
        BlockIndex = ifIndex == BlockLookup.MagicBlockIfIndex ? blockIndex : 0,
        Parent = parent,
        Prio = tp.Prio,
        Protocol = tp.Protocol,
        Kind = tp.Kind,
        Chain = tp.Chain?.Index ?? 0,
        Filter = fh is null ? null : tp.Dump(fh),
    };

    /// <summary>tc_ctl_chain(RTM_NEWCHAIN): "tc chain add".</summary>
    public void NewChain(FilterApiRequest r)
    {
        uint parent = r.Parent;
        FilterBlock block = BlockLookup.Find(_ns, r.IfIndex, r.BlockIndex, ref parent, out _, out _);
        uint chainIndex = CheckChainIndex(r.Chain);
        FilterChain? chain = block.FindChain(chainIndex);
        if (chain is not null)
        {
            if (!chain.IsHeldByActionsOnly) throw KernelError.ExtAck("Filter chain already exists");
            chain.RefCount++;
        }
        else
        {
            if (!r.Create)
                throw KernelError.ExtAck("Need both RTM_NEWCHAIN and NLM_F_CREATE to create a new chain");
            chain = block.GetChain(chainIndex, create: true, byAction: false)!;
        }
        chain.RefCount++;
        chain.ExplicitlyCreated = true;
        try
        {
            if (r.Kind is not null)
            {
                // tc_chain_tmplt_add(): only flower has chain templates in Linux; none of ours does.
                _ = ClassifierKinds.Find(r.Kind) ?? throw KernelError.ExtAck("TC classifier not found");
                throw KernelError.ExtAck("Chain templates are not supported with specified classifier");
            }
        }
        catch (TcException)
        {
            block.PutChain(chain, explicitlyCreated: true);
            block.PutChain(chain);
            throw;
        }
        block.PutChain(chain);
    }

    /// <summary>tc_ctl_chain(RTM_DELCHAIN): "tc chain delete" flushes the chain and drops its explicit reference.</summary>
    public void DeleteChain(FilterApiRequest r)
    {
        uint parent = r.Parent;
        FilterBlock block = BlockLookup.Find(_ns, r.IfIndex, r.BlockIndex, ref parent, out _, out _);
        uint chainIndex = CheckChainIndex(r.Chain);
        FilterChain chain = FindVisibleChain(block, chainIndex);
        chain.RefCount++;
        chain.Flush();
        block.PutChain(chain, explicitlyCreated: true);
        block.PutChain(chain);
    }

    /// <summary>tc_ctl_chain(RTM_GETCHAIN): "tc chain get".</summary>
    public FilterMessage GetChain(FilterApiRequest r)
    {
        uint parent = r.Parent;
        FilterBlock block = BlockLookup.Find(_ns, r.IfIndex, r.BlockIndex, ref parent, out ClassfulQdisc? q, out _);
        FilterChain chain = FindVisibleChain(block, CheckChainIndex(r.Chain));
        return ChainMessage(chain, r.IfIndex, r.BlockIndex, q);
    }

    /// <summary>
    /// tc_dump_chain(): the visible chains of the block, optionally only one index. The kernel dumps in rounds,
    /// each resuming at a count of chains that does not count the action-only chains it skipped, so a chain after
    /// one of those is listed again in the next round; that is reproduced here, round by round.
    /// </summary>
    public List<FilterMessage> DumpChains(int ifIndex, uint blockIndex, uint parent, uint? chainIndex)
    {
        var messages = new List<FilterMessage>();
        FilterBlock? block;
        ClassfulQdisc? q = null;
        if (ifIndex == BlockLookup.MagicBlockIfIndex)
        {
            block = _ns.SharedBlockResolver?.Invoke(blockIndex);
        }
        else
        {
            NetDevice? dev = _ns.Devices.Find(ifIndex);
            block = dev is null ? null : BlockLookup.TryFindForDump(_ns, dev, parent, out q);
        }
        if (block is null) return messages;
        long indexStart = 0;
        while (true)
        {
            long index = 0;
            int before = messages.Count;
            foreach (FilterChain chain in block.Chains)
            {
                if (chainIndex is { } c && c != chain.Index) continue;
                if (index < indexStart)
                {
                    index++;
                    continue;
                }
                if (chain.IsHeldByActionsOnly) continue;
                messages.Add(ChainMessage(chain, ifIndex, blockIndex, q));
                index++;
            }
            if (messages.Count == before) return messages;
            indexStart = index;
        }
    }

    /// <summary>tc_chain_fill_node(): the block's qdisc handle as parent, or the index of a shared block.</summary>
    private static FilterMessage ChainMessage(FilterChain chain, int ifIndex, uint blockIndex, Qdisc? q)
    {
        Qdisc? owner = chain.Block.Owner ?? q;
        return owner is null
            ? new FilterMessage { IsChain = true, IfIndex = BlockLookup.MagicBlockIfIndex, BlockIndex = blockIndex, Chain = chain.Index }
            : new FilterMessage { IsChain = true, IfIndex = ifIndex, Parent = owner.Handle, Chain = chain.Index };
    }

    private static FilterChain FindVisibleChain(FilterBlock block, uint index)
    {
        FilterChain? chain = block.FindChain(index);
        if (chain is null || chain.IsHeldByActionsOnly) throw KernelError.ExtAck("Cannot find specified filter chain");
        return chain;
    }

    private static uint CheckChainIndex(uint? chain)
    {
        uint index = chain ?? 0;
        if (index > TcAct.ExtValMask) throw KernelError.ExtAck("Specified chain index exceeds upper limit");
        return index;
    }
}
