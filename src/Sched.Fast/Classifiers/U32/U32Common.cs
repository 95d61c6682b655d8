namespace Sched.Fast.Classifiers.U32;

/// <summary>
/// struct tc_u_common: what all u32 classifiers of one qdisc share: every hash table (newest first, as dumps list
/// them), the table id space, and how many classifiers and key nodes there are.
/// </summary>
public sealed class U32Common
{
    private readonly SortedSet<uint> _ids = [];
    private uint _nextCyclic = 1;

    /// <summary>tp_c->hlist, newest first.</summary>
    public List<U32HashTable> Tables { get; } = [];

    /// <summary>tp_c->refcnt: the u32 classifiers sharing this.</summary>
    public int RefCount { get; set; }

    /// <summary>tp_c->knodes.</summary>
    public int KeyNodes { get; set; }

    /// <summary>u32_lookup_ht().</summary>
    public U32HashTable? Find(uint handle) => Tables.Find(t => t.Id == handle);

    /// <summary>
    /// gen_new_htid(): idr_alloc_cyclic(1, 0x7FF) mapped to a handle (id | 0x800) &lt;&lt; 20; 0 when the space is full.
    /// </summary>
    public uint NewTableHandle()
    {
        for (int tries = 0; tries < 0x7FE; tries++)
        {
            uint id = _nextCyclic;
            _nextCyclic = _nextCyclic >= 0x7FE ? 1 : _nextCyclic + 1;
            if (_ids.Add(id)) return (id | 0x800) << 20;
        }
        return 0;
    }

    /// <summary>idr_alloc_u32(handle, handle) for a table handle the user gave.</summary>
    public bool Reserve(uint handle) => _ids.Add(handle);

    /// <summary>idr_remove(handle2id(handle)).</summary>
    public void Release(uint handle) => _ids.Remove((handle & 0x8000_0000) != 0 ? (handle >> 20) & 0x7FF : handle);

    /// <summary>Adds a table at the head of the list.</summary>
    public void Add(U32HashTable table) => Tables.Insert(0, table);
}
