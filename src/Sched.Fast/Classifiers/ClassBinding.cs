using Sched.Fast.Qdiscs;

namespace Sched.Fast.Classifiers;

/// <summary>
/// Binding a filter's result to a class of the qdisc that owns its block (include/net/pkt_cls.h
/// tcf_bind_filter(), tcf_unbind_filter(), tc_cls_bind_class()): the class object is cached in the result so the
/// qdisc need not look it up per packet, and counted in <see cref="QdiscClass.FilterBindCount"/> (a bound class
/// cannot be deleted).
/// </summary>
public static class ClassBinding
{
    /// <summary>tcf_bind_filter(): sets <paramref name="result"/>'s classid and binds the class if it exists.</summary>
    public static void Bind(Classifier tp, ref ClassifyResult result, uint classId)
    {
        result.ClassId = classId;
        Unbind(ref result);
        if (tp.Chain?.Block.Owner is ClassfulQdisc q && q.FindClass(classId) is { } cl)
        {
            cl.FilterBindCount++;
            result.Class = cl;
        }
    }

    /// <summary>tcf_unbind_filter().</summary>
    public static void Unbind(ref ClassifyResult result)
    {
        if (result.Class is QdiscClass cl) cl.FilterBindCount--;
        result.Class = null;
    }

    /// <summary>tc_cls_bind_class(): a class <paramref name="classId"/> appeared (cl set) or went (cl null).</summary>
    public static void Rebind(ref ClassifyResult result, uint classId, QdiscClass? cl)
    {
        if (result.ClassId != classId) return;
        Unbind(ref result);
        if (cl is not null)
        {
            cl.FilterBindCount++;
            result.Class = cl;
        }
    }

    /// <summary>
    /// tc_bind_tclass(): after class <paramref name="classId"/> of <paramref name="q"/> was created or deleted,
    /// every filter in every block of the qdisc rebinds. The tc engine calls this from its class commands.
    /// </summary>
    public static void RebindAll(ClassfulQdisc q, uint classId, QdiscClass? cl)
    {
        var blocks = new List<FilterBlock> { q.Filters };
        foreach (QdiscClass c in q.WalkClasses())
        {
            if (q.ClassFilters(c) is { } b && !blocks.Contains(b)) blocks.Add(b);
        }
        foreach (FilterBlock block in blocks)
        {
            foreach (FilterChain chain in block.VisibleChains)
            {
                foreach (Classifier tp in chain.Classifiers) tp.BindClass(classId, cl);
            }
        }
    }
}
