namespace Sched.Fast.Classifiers;

/// <summary>
/// One filter inside a classifier (the kernel's opaque "fh": a u32 key node or hash table, a matchall head, a basic
/// filter): what <see cref="Classifier.Get"/> finds by handle and <see cref="Classifier.Walk"/> lists.
/// </summary>
public abstract class FilterNode
{
    /// <summary>The handle tc prints ("fh 800::800", "handle 0x1").</summary>
    public abstract uint Handle { get; }
}
