namespace Sched.Fast.Classifiers;

/// <summary>
/// A chain of a filter block (struct tcf_chain): classifiers ordered by priority. Chain 0 is where classification
/// starts; others are reached by goto chain.
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
}
