using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sched.Fast.Actions;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers.U32;

/// <summary>
/// net/sched/cls_u32.c: key nodes in hash tables. Classification starts in the classifier's root table at the
/// network header; a node whose keys all match either hashes a packet word into the bucket of its linked table and
/// continues there (moving the offset to the next header when told), or, if terminal, gives the result. Tables are
/// shared by all u32 classifiers of the qdisc (<see cref="U32Common"/>).
/// </summary>
public sealed class U32Classifier : Classifier
{
    private const string Module = "cls_u32";

    /// <summary>TC_U32_MAXDEPTH: how deep links may nest.</summary>
    public const int MaxDepth = 8;

    private readonly U32Common _common;
    private readonly object _commonKey;
    private readonly FilterNamespace _ns;

    public U32Classifier(uint prio, ushort protocol, FilterChain chain, FilterNamespace ns) : base(prio, protocol)
    {
        _ns = ns;
        Namespace = ns;
        // tc_u_common_ptr(): one per qdisc (the block itself when it has no qdisc).
        _commonKey = (object?)chain.Block.Owner ?? chain.Block;
        bool existed = true;
        _common = ns.Shared(_commonKey, () =>
        {
            existed = false;
            return new U32Common();
        });
        // u32_init(): the first root of a qdisc is 800:, later ones take ids from the shared space.
        uint handle = existed ? _common.NewTableHandle() : 0x8000_0000;
        Root = new U32HashTable(handle, prio, 0, isRoot: true);
        _common.RefCount++;
        _common.Add(Root);
    }

    public override string Kind => "u32";

    /// <summary>tp->root.</summary>
    public U32HashTable Root { get; }

    public U32Common Common => _common;

    [InlineArray(MaxDepth)]
    private struct NodeStack
    {
        private U32KeyNode? _node;
    }

    // ---- data path (u32_classify) ----

    [SkipLocalsInit]
    public override int Classify(Packet packet, ref ClassifyResult result)
    {
        ReadOnlySpan<byte> f = packet.Data;
        ref byte frame = ref MemoryMarshal.GetReference(f);
        int len = f.Length;
        int off = PacketHeaders.NetworkOffset(f);
        int off2 = 0;
        uint sel = 0;
        int sdepth = 0;
        NodeStack stack = default;
        Span<int> stackOff = stackalloc int[MaxDepth];
        U32HashTable ht = Root;
        U32KeyNode? n;

    NextHt:
        n = Volatile.Read(ref ht.Buckets[sel]);
    NextKnode:
        if (n is not null)
        {
            U32NodeCounters pf = n.Counters;
            pf.Tried++;
            if ((n.Flags & ClassifierFlags.SkipSw) != 0)
            {
                n = n.Next;
                goto NextKnode;
            }
            if ((packet.Meta.Mark & n.MarkMask) != n.MarkValue)
            {
                n = n.Next;
                goto NextKnode;
            }
            pf.MarkSuccess++;

            U32Key[] keys = n.Keys;
            for (int i = 0; i < keys.Length; i++)
            {
                ref readonly U32Key key = ref keys[i];
                int toff = off + key.Offset + (off2 & key.OffMask);
                if ((uint)toff > (uint)len - 4 || len < 4) return TcAct.Unspec; // skb_header_pointer() failed
                uint data = ReadBigEndian32(ref frame, toff);
                if (((data ^ key.Value) & key.Mask) != 0)
                {
                    n = n.Next;
                    goto NextKnode;
                }
                pf.KeyHits[i]++;
            }

            U32HashTable? down = n.Down;
            if (down is null) goto CheckTerminal;

            // PUSH
            if (sdepth >= MaxDepth) return TcAct.Unspec; // "cls_u32: dead loop"
            stack[sdepth] = n;
            stackOff[sdepth] = off;
            sdepth++;
            ht = down;
            sel = 0;
            U32Selector s = n.Selector;
            if (ht.DivisorMask != 0)
            {
                int hoff = off + s.HashOffset;
                if ((uint)hoff > (uint)len - 4 || len < 4) return TcAct.Unspec;
                uint word = ReadBigEndian32(ref frame, hoff);
                sel = ht.DivisorMask & ((word & s.HashMask) >> n.FoldShift);
            }
            if ((s.Flags & (U32Selector.VarOffset | U32Selector.Offset | U32Selector.Eat)) == 0) goto NextHt;
            if ((s.Flags & (U32Selector.Offset | U32Selector.VarOffset)) != 0)
            {
                off2 = s.Off + 3;
                if ((s.Flags & U32Selector.VarOffset) != 0)
                {
                    int voff = off + s.OffOff;
                    if (voff < 0 || voff + 2 > len) return TcAct.Unspec;
                    ushort v = BinaryPrimitives.ReadUInt16BigEndian(f[voff..]);
                    off2 += (v & s.OffMask) >> s.OffShift;
                }
                off2 &= ~3;
            }
            if ((s.Flags & U32Selector.Eat) != 0)
            {
                off += off2;
                off2 = 0;
            }
            if (off < len) goto NextHt;
        }

        // POP
        if (sdepth-- > 0)
        {
            n = stack[sdepth]!;
            ht = n.Up;
            off = stackOff[sdepth];
            goto CheckTerminal;
        }
        return TcAct.Unspec;

    CheckTerminal:
        if (n!.Terminal)
        {
            result.ClassId = n.Result.ClassId;
            result.Class = n.Result.Class;
            result.GotoChain = null;
            // tcf_match_indev()
            if (n.IfIndex != 0 && (packet.Meta.IngressIfIndex == 0 || packet.Meta.IngressIfIndex != n.IfIndex))
            {
                n = n.Next;
                goto NextKnode;
            }
            n.Counters.Hits++;
            int r = n.Actions.Execute(packet, ref result);
            if (r < 0)
            {
                n = n.Next;
                goto NextKnode;
            }
            return r;
        }
        n = n.Next;
        goto NextKnode;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadBigEndian32(ref byte frame, int offset)
    {
        uint v = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref frame, offset));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    // ---- control path ----

    /// <summary>u32_get().</summary>
    public override FilterNode? Get(uint handle)
    {
        U32HashTable? ht = U32Handle.Htid(handle) == U32Handle.Root ? Root : _common.Find(U32Handle.Htid(handle));
        if (ht is null) return null;
        if (U32Handle.Key(handle) == 0) return ht;
        return ht.FindKey(handle);
    }

    /// <summary>u32_change().</summary>
    public override FilterNode Change(FilterChange change)
    {
        uint handle = change.Handle;
        if (change.Options is not U32Spec spec)
        {
            if (handle != 0) throw KernelError.ExtAckMod(Module, "Filter handle requires options");
            return Root;
        }
        uint userFlags = spec.Flags ?? 0;
        if (spec.Flags is not null && !ClassifierFlags.IsValid(userFlags))
            throw KernelError.ExtAckMod(Module, "Invalid filter flags");

        if (change.Existing is { } existing)
        {
            if (existing is not U32KeyNode old) throw KernelError.ExtAckMod(Module, "Key node id cannot be zero");
            if (((old.Flags ^ userFlags) & ~(ClassifierFlags.InHw | ClassifierFlags.NotInHw)) != 0)
                throw KernelError.ExtAckMod(Module, "Key node flags do not match passed flags");
            return ReplaceNode(old, spec, change.Replace);
        }

        if (spec.Divisor is { } divisor) return NewTable(handle, divisor, userFlags);

        U32HashTable ht;
        uint htid;
        if (spec.Hash is { } hash)
        {
            htid = hash;
            if (U32Handle.Htid(htid) == U32Handle.Root)
            {
                ht = Root;
                htid = ht.Id;
            }
            else
            {
                ht = _common.Find(U32Handle.Htid(htid)) ??
                     throw KernelError.ExtAckMod(Module, "Specified hash table not found");
            }
        }
        else
        {
            ht = Root;
            htid = ht.Id;
        }
        if (ht.DivisorMask < U32Handle.Hash(htid))
            throw KernelError.ExtAckMod(Module, "Specified hash table buckets exceed configured value");

        if (handle != 0)
        {
            if (U32Handle.Htid(handle) != 0 && U32Handle.Htid(handle ^ htid) != 0)
                throw KernelError.ExtAckMod(Module, "Handle specified hash table address mismatch");
            if (U32Handle.Node(handle) == 0)
            {
                handle = ht.NewKeyId(htid);
            }
            else
            {
                handle = htid | U32Handle.Node(handle);
                if (!ht.ReserveKeyId(handle)) throw KernelError.Errno(Errno.ENOSPC);
            }
        }
        else
        {
            handle = ht.NewKeyId(htid);
        }

        if (spec.Selector is not { } selector)
        {
            ht.ReleaseKeyId(handle);
            throw KernelError.ExtAckMod(Module, "Selector not specified");
        }

        var n = new U32KeyNode(handle, selector, ht, new U32NodeCounters(selector.Keys.Count))
        {
            Flags = userFlags,
            MarkValue = spec.MarkValue ?? 0,
            MarkMask = spec.MarkMask ?? 0,
        };
        try
        {
            SetParams(n, spec, change.Replace);
        }
        catch (TcException)
        {
            ht.ReleaseKeyId(handle);
            throw;
        }
        if (spec.ClassId is { } classId) ClassBinding.Bind(this, ref n.Result, classId);
        // u32_replace_hw_knode() is handed the request flags, not the node's, so skip_sw never fails here: the node
        // goes in, marked not_in_hw, and classification skips it.
        n.Flags |= ClassifierFlags.NotInHw;
        ht.Insert(n);
        _common.KeyNodes++;
        return n;
    }

    /// <summary>The "divisor" branch of u32_change(): a new hash table.</summary>
    private U32HashTable NewTable(uint handle, uint divisor, uint userFlags)
    {
        if (divisor == 0 || (divisor & (divisor - 1)) != 0)
            throw KernelError.ExtAckMod(Module, "Divisor is not a power of 2");
        if (divisor > 0x100) throw KernelError.ExtAckMod(Module, "Exceeded maximum 256 hash buckets");
        if (U32Handle.Key(handle) != 0) throw KernelError.ExtAckMod(Module, "Divisor can only be used on a hash table");
        if (handle == 0)
        {
            handle = _common.NewTableHandle();
            if (handle == 0) throw KernelError.Errno(Errno.ENOMEM);
        }
        else if (!_common.Reserve(handle))
        {
            throw KernelError.Errno(Errno.ENOSPC);
        }
        if ((userFlags & ClassifierFlags.SkipSw) != 0)
        {
            // u32_replace_hw_hnode(): a table that must skip software needs an offload, and there is none.
            _common.Release(handle);
            throw KernelError.Errno(Errno.EINVAL);
        }
        var ht = new U32HashTable(handle, Prio, divisor - 1, isRoot: false) { Flags = userFlags };
        _common.Add(ht);
        return ht;
    }

    /// <summary>
    /// u32_set_parms(): actions, indev and link, all validated before <paramref name="n"/> changes. Leaves
    /// <paramref name="n"/> holding a reference to its linked table.
    /// </summary>
    private void SetParams(U32KeyNode n, U32Spec spec, bool replace)
    {
        ActionList actions = FilterExts.Validate(this, spec.Actions, replace, n.Flags);
        int ifIndex = -1;
        U32HashTable? down = null;
        try
        {
            if (spec.InDev is { } indev)
            {
                NetDevice dev = _ns.Devices.Find(indev) ?? throw KernelError.ExtAck("Network device not found");
                ifIndex = dev.IfIndex;
            }
            if (spec.Link is { } link)
            {
                if (U32Handle.Key(link) != 0) throw KernelError.ExtAckMod(Module, "u32 Link handle must be a hash table");
                if (link != 0)
                {
                    down = _common.Find(link) ?? throw KernelError.ExtAckMod(Module, "Link hash table not found");
                    if (down.IsRoot) throw KernelError.ExtAckMod(Module, "Not linking to root node");
                }
            }
        }
        catch (TcException)
        {
            FilterExts.Destroy(actions);
            throw;
        }
        n.Actions = actions;
        if (spec.Link is not null)
        {
            if (down is not null) down.RefCount++;
            if (n.Down is { } old) old.RefCount--;
            n.Down = down;
        }
        if (ifIndex >= 0) n.IfIndex = ifIndex;
    }

    /// <summary>
    /// The "existing node" branch of u32_change(): a copy keeping the selector, mark, flags, link and counters,
    /// with new actions, class, indev and link; it takes the old node's place.
    /// </summary>
    private U32KeyNode ReplaceNode(U32KeyNode old, U32Spec spec, bool replace)
    {
        var n = new U32KeyNode(old.Id, old.Selector, old.Up, old.Counters)
        {
            Flags = old.Flags,
            IfIndex = old.IfIndex,
            MarkValue = old.MarkValue,
            MarkMask = old.MarkMask,
            Down = old.Down,
        };
        if (n.Down is not null) n.Down.RefCount++;
        try
        {
            SetParams(n, spec, replace);
        }
        catch (TcException)
        {
            if (n.Down is not null) n.Down.RefCount--;
            throw;
        }
        if (spec.ClassId is { } classId) ClassBinding.Bind(this, ref n.Result, classId);
        n.Flags |= ClassifierFlags.NotInHw;
        old.Up.Replace(old, n);
        DestroyNode(old);
        return n;
    }

    /// <summary>Releases what a key node holds: its class binding, actions, and its link's reference.</summary>
    private static void DestroyNode(U32KeyNode n)
    {
        ClassBinding.Unbind(ref n.Result);
        FilterExts.Destroy(n.Actions);
        n.Actions = ActionList.Empty;
        if (n.Down is { } down) down.RefCount--;
    }

    /// <summary>u32_delete(): a key node, or a table nothing links to (never a root).</summary>
    public override void Delete(FilterNode node, out bool last)
    {
        if (node is U32KeyNode n)
        {
            if (n.Up.Remove(n))
            {
                _common.KeyNodes--;
                n.Up.ReleaseKeyId(n.Id);
                DestroyNode(n);
            }
        }
        else
        {
            var ht = (U32HashTable)node;
            if (ht.IsRoot) throw KernelError.ExtAckMod(Module, "Not allowed to delete root node");
            if (ht.RefCount != 1) throw KernelError.ExtAckMod(Module, "Can not delete in-use filter");
            ht.RefCount = 0;
            DestroyTable(ht);
        }
        last = _common.RefCount == 1 && _common.KeyNodes == 0;
    }

    /// <summary>u32_clear_hnode(): every key node of the table goes.</summary>
    private void ClearTable(U32HashTable ht)
    {
        for (int b = 0; b < ht.Buckets.Length; b++)
        {
            U32KeyNode? n = ht.Buckets[b];
            Volatile.Write(ref ht.Buckets[b], null);
            for (; n is not null; n = n.Next)
            {
                _common.KeyNodes--;
                ht.ReleaseKeyId(n.Id);
                DestroyNode(n);
            }
        }
    }

    /// <summary>u32_destroy_hnode(): clears the table and takes it out of the shared list.</summary>
    private void DestroyTable(U32HashTable ht)
    {
        ClearTable(ht);
        _common.Tables.Remove(ht);
        _common.Release(ht.Id);
    }

    /// <summary>
    /// u32_destroy(): the root goes; when this was the qdisc's last u32 classifier, every shared table goes too.
    /// </summary>
    public override void Destroy()
    {
        if (--Root.RefCount == 0) DestroyTable(Root);
        if (--_common.RefCount == 0)
        {
            foreach (U32HashTable ht in _common.Tables.ToArray())
            {
                ClearTable(ht);
                _common.Tables.Remove(ht);
            }
            _ns.RemoveShared<U32Common>(_commonKey);
        }
    }

    /// <summary>u32_walk(): the tables made at this classifier's pref, newest first, each followed by its nodes.</summary>
    public override IEnumerable<FilterNode> Walk()
    {
        foreach (U32HashTable ht in _common.Tables.ToArray())
        {
            if (ht.Prio != Prio) continue;
            yield return ht;
            foreach (U32KeyNode n in ht.Nodes) yield return n;
        }
    }

    /// <summary>u32_dump().</summary>
    public override FilterDump Dump(FilterNode node)
    {
        if (node is U32HashTable ht) return new FilterDump(ht.Id, new U32Spec { Divisor = ht.DivisorMask + 1 });
        var n = (U32KeyNode)node;
        U32NodeCounters c = n.Counters;
        bool mark = n.MarkValue != 0 || n.MarkMask != 0;
        return new FilterDump(n.Id, new U32Spec
        {
            Selector = n.Selector,
            Hash = n.Id & 0xFFFF_F000,
            ClassId = n.Result.ClassId != 0 ? n.Result.ClassId : null,
            Link = n.Down?.Id,
            Flags = n.Flags != 0 ? n.Flags : null,
            MarkValue = mark ? n.MarkValue : null,
            MarkMask = mark ? n.MarkMask : null,
            MarkSuccess = mark ? (uint)c.MarkSuccess : null,
            Actions = FilterExts.Dump(n.Actions, _ns),
            InDev = n.IfIndex != 0 ? _ns.Devices.Find(n.IfIndex)?.Name : null,
            Counters = new U32Counters(c.Tried, c.Hits, c.KeyHits.ToArray()),
        });
    }

    public override void BindClass(uint classId, object? cl)
    {
        foreach (U32HashTable ht in _common.Tables)
        {
            if (ht.Prio != Prio) continue;
            foreach (U32KeyNode n in ht.Nodes) ClassBinding.Rebind(ref n.Result, classId, cl as QdiscClass);
        }
    }
}
