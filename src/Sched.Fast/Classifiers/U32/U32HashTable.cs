namespace Sched.Fast.Classifiers.U32;

/// <summary>
/// struct tc_u_hnode: a hash table of key nodes. The root table of a classifier has one bucket; "divisor N" tables
/// have N. Buckets are singly linked lists ordered by node id; readers on the data path follow the links while the
/// control path publishes new nodes (RCU-style: a node is complete before it is linked in).
/// </summary>
public sealed class U32HashTable : FilterNode
{
    private readonly SortedSet<uint> _nodeIds = [];

    public U32HashTable(uint handle, uint prio, uint divisorMask, bool isRoot)
    {
        Id = handle;
        Prio = prio;
        DivisorMask = divisorMask;
        IsRoot = isRoot;
        Buckets = new U32KeyNode?[divisorMask + 1];
    }

    public uint Id { get; }
    public override uint Handle => Id;

    /// <summary>ht->prio: the pref of the classifier that made it (dumps list a table under that pref only).</summary>
    public uint Prio { get; }

    /// <summary>ht->divisor: buckets - 1, used as the mask of the bucket index.</summary>
    public uint DivisorMask { get; }

    public bool IsRoot { get; }

    /// <summary>ht->refcnt: the table itself plus every key node linking to it.</summary>
    public int RefCount { get; set; } = 1;

    /// <summary>ht->flags (offload flags of "divisor" requests).</summary>
    public uint Flags { get; init; }

    public U32KeyNode?[] Buckets { get; }

    /// <summary>
    /// gen_new_kid(): the lowest free node id from 0x800 in the bucket's id space, else from 1, else 0xFFF
    /// (then unregistered, as the kernel does).
    /// </summary>
    public uint NewKeyId(uint htid)
    {
        for (uint id = htid | 0x800; id <= (htid | 0xFFF); id++)
        {
            if (_nodeIds.Add(id)) return id;
        }
        for (uint id = htid + 1; id <= (htid | 0xFFF); id++)
        {
            if (_nodeIds.Add(id)) return id;
        }
        return htid | 0xFFF;
    }

    /// <summary>idr_alloc_u32(handle, handle): reserves a given node handle.</summary>
    public bool ReserveKeyId(uint handle) => _nodeIds.Add(handle);

    public void ReleaseKeyId(uint handle) => _nodeIds.Remove(handle);

    /// <summary>Inserts <paramref name="node"/> in its bucket before the first node with a greater node id.</summary>
    public void Insert(U32KeyNode node)
    {
        uint bucket = U32Handle.Hash(node.Id);
        U32KeyNode? prev = null, cur = Buckets[bucket];
        while (cur is not null && U32Handle.Node(node.Id) >= U32Handle.Node(cur.Id))
        {
            prev = cur;
            cur = cur.Next;
        }
        node.Next = cur;
        if (prev is null) Volatile.Write(ref Buckets[bucket], node);
        else Volatile.Write(ref prev.Next, node);
    }

    /// <summary>Puts <paramref name="replacement"/> where <paramref name="old"/> was.</summary>
    public void Replace(U32KeyNode old, U32KeyNode replacement)
    {
        uint bucket = U32Handle.Hash(old.Id);
        replacement.Next = old.Next;
        if (ReferenceEquals(Buckets[bucket], old))
        {
            Volatile.Write(ref Buckets[bucket], replacement);
            return;
        }
        for (U32KeyNode? n = Buckets[bucket]; n is not null; n = n.Next)
        {
            if (ReferenceEquals(n.Next, old))
            {
                Volatile.Write(ref n.Next, replacement);
                return;
            }
        }
    }

    /// <summary>Unlinks <paramref name="node"/>; readers already on it still reach the rest of the bucket.</summary>
    public bool Remove(U32KeyNode node)
    {
        uint bucket = U32Handle.Hash(node.Id);
        if (bucket >= Buckets.Length) return false;
        if (ReferenceEquals(Buckets[bucket], node))
        {
            Volatile.Write(ref Buckets[bucket], node.Next);
            return true;
        }
        for (U32KeyNode? n = Buckets[bucket]; n is not null; n = n.Next)
        {
            if (ReferenceEquals(n.Next, node))
            {
                Volatile.Write(ref n.Next, node.Next);
                return true;
            }
        }
        return false;
    }

    /// <summary>u32_lookup_key().</summary>
    public U32KeyNode? FindKey(uint handle)
    {
        uint bucket = U32Handle.Hash(handle);
        if (bucket > DivisorMask) return null;
        for (U32KeyNode? n = Buckets[bucket]; n is not null; n = n.Next)
        {
            if (n.Id == handle) return n;
        }
        return null;
    }

    /// <summary>Every key node, bucket by bucket (u32_walk()).</summary>
    public IEnumerable<U32KeyNode> Nodes
    {
        get
        {
            for (int b = 0; b < Buckets.Length; b++)
            {
                for (U32KeyNode? n = Buckets[b]; n is not null; n = n.Next) yield return n;
            }
        }
    }
}
