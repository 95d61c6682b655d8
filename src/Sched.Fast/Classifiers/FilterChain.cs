namespace Sched.Fast.Classifiers;

/// <summary>
/// A chain of a filter block (struct tcf_chain): classifiers ordered by priority. Chain 0 is where classification
/// starts; others are reached by goto chain.
/// <para>
/// A chain lives while something references it (net/sched/cls_api.c): each classifier in it, "tc chain add"
/// (explicitly created), and each action whose verdict is "goto chain" to it. A chain referenced only by actions
/// is hidden from dumps (tcf_chain_held_by_acts_only). References are taken and dropped through
/// <see cref="FilterBlock.GetChain"/> and <see cref="FilterBlock.PutChain"/>.
/// </para>
/// </summary>
public sealed class FilterChain
{
    private Classifier[] _classifiers = [];

    public FilterChain(FilterBlock block, uint index)
    {
        Block = block;
        Index = index;
    }

    public FilterBlock Block { get; }
    public uint Index { get; }

    /// <summary>The classifiers in priority order. Replaced as a whole on change, so readers see a consistent array.</summary>
    public IReadOnlyList<Classifier> Classifiers => _classifiers;

    internal Classifier[] ClassifierArray => _classifiers;

    /// <summary>chain->refcnt: all references (classifiers, explicit creation, actions).</summary>
    public int RefCount { get; internal set; }

    /// <summary>chain->action_refcnt: references held by goto chain actions.</summary>
    public int ActionRefCount { get; internal set; }

    /// <summary>chain->explicitly_created: "tc chain add" made it (and holds one reference).</summary>
    public bool ExplicitlyCreated { get; internal set; }

    /// <summary>tcf_chain_held_by_acts_only(): only actions reference the chain; dumps skip it.</summary>
    public bool IsHeldByActionsOnly => RefCount == ActionRefCount;

    /// <summary>Inserts <paramref name="classifier"/> after those with a lower or equal priority.</summary>
    public void Insert(Classifier classifier)
    {
        int i = 0;
        while (i < _classifiers.Length && _classifiers[i].Prio <= classifier.Prio) i++;
        var next = new Classifier[_classifiers.Length + 1];
        Array.Copy(_classifiers, next, i);
        next[i] = classifier;
        Array.Copy(_classifiers, i, next, i + 1, _classifiers.Length - i);
        classifier.Chain = this;
        _classifiers = next;
    }

    public bool Remove(Classifier classifier)
    {
        int i = Array.IndexOf(_classifiers, classifier);
        if (i < 0) return false;
        _classifiers = [.. _classifiers[..i], .. _classifiers[(i + 1)..]];
        return true;
    }

    public Classifier? Find(uint prio, ushort protocol) =>
        Array.Find(_classifiers, c => c.Prio == prio && (protocol == 0 || c.Protocol == protocol));

    public Classifier? FindByPrio(uint prio) => Array.Find(_classifiers, c => c.Prio == prio);

    public bool IsEmpty => _classifiers.Length == 0;

    /// <summary>
    /// tcf_chain_tp_find(): the classifier at <paramref name="prio"/>, null when there is none, or an EINVAL error
    /// when one exists but for another protocol (a non-zero <paramref name="protocol"/> must match).
    /// <paramref name="next"/> is the classifier a new one would be inserted before (for tcf_auto_prio()).
    /// </summary>
    public bool TryFind(uint prio, ushort protocol, bool prioAllocate, out Classifier? found, out Classifier? next)
    {
        found = null;
        next = null;
        foreach (Classifier tp in _classifiers)
        {
            // The kernel compares prio << 16; "prio allocate" asks for 0x8000 << 16 (pref 32768).
            if (tp.Prio < prio) continue;
            if (tp.Prio == prio)
            {
                if (prioAllocate || (tp.Protocol != protocol && protocol != 0)) return false;
                found = tp;
            }
            else
            {
                next = tp;
            }
            return true;
        }
        return true;
    }

    /// <summary>
    /// tcf_chain_flush(): removes every classifier (destroying each and dropping its chain reference).
    /// </summary>
    public void Flush()
    {
        Classifier[] old = _classifiers;
        _classifiers = [];
        foreach (Classifier tp in old)
        {
            tp.Destroy();
            Block.PutChain(this);
        }
    }

    public override string ToString() => $"chain {Index}";
}
