namespace Sched.Fast.Qdiscs.Htb;

/// <summary>
/// struct Qdisc_class_hash (net/sched/sch_api.c) for htb's classes: 4 buckets to start, doubled when the load
/// passes 3/4, entries added at the head of their bucket and moved bucket by bucket on growth. Walking it bucket by
/// bucket gives the order in which the kernel dumps classes, which is the order tc lists them.
/// </summary>
internal sealed class HtbClassHash
{
    private List<HtbClass>[] _buckets = NewBuckets(4);

    public int Count { get; private set; }

    private static List<HtbClass>[] NewBuckets(int n)
    {
        var b = new List<HtbClass>[n];
        for (int i = 0; i < n; i++) b[i] = [];
        return b;
    }

    /// <summary>qdisc_class_hash().</summary>
    private static int Bucket(uint id, int mask)
    {
        id ^= id >> 8;
        id ^= id >> 4;
        return (int)(id & (uint)mask);
    }

    /// <summary>qdisc_class_find(): no class has id 0.</summary>
    public HtbClass? Find(uint id)
    {
        if (id == 0) return null;
        List<HtbClass> bucket = _buckets[Bucket(id, _buckets.Length - 1)];
        for (int i = 0; i < bucket.Count; i++)
        {
            if (bucket[i].ClassId == id) return bucket[i];
        }
        return null;
    }

    /// <summary>qdisc_class_hash_insert(): hlist_add_head.</summary>
    public void Insert(HtbClass cl)
    {
        _buckets[Bucket(cl.ClassId, _buckets.Length - 1)].Insert(0, cl);
        Count++;
    }

    public void Remove(HtbClass cl)
    {
        if (_buckets[Bucket(cl.ClassId, _buckets.Length - 1)].Remove(cl)) Count--;
    }

    /// <summary>qdisc_class_hash_grow(): rehash into twice the buckets when elements * 4 &gt; buckets * 3.</summary>
    public void Grow()
    {
        if (Count * 4 <= _buckets.Length * 3) return;
        List<HtbClass>[] grown = NewBuckets(_buckets.Length * 2);
        foreach (List<HtbClass> bucket in _buckets)
            foreach (HtbClass cl in bucket)
                grown[Bucket(cl.ClassId, grown.Length - 1)].Insert(0, cl);
        _buckets = grown;
    }

    /// <summary>The classes in the kernel's dump order.</summary>
    public IEnumerable<HtbClass> InDumpOrder()
    {
        foreach (List<HtbClass> bucket in _buckets)
            for (int i = 0; i < bucket.Count; i++) yield return bucket[i];
    }

    /// <summary>The buckets themselves, for allocation-free walks on the data path.</summary>
    public List<HtbClass>[] Buckets => _buckets;
}
