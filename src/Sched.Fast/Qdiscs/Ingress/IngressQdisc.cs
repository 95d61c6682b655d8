using Sched.Fast.Classifiers;

namespace Sched.Fast.Qdiscs.Ingress;

/// <summary>
/// ingress (sch_ingress.c): one filter block run on received packets. find() accepts any class id (so
/// "parent ffff:" and "parent ffff:fff1" both reach the block).
/// </summary>
public sealed class IngressQdisc : HookQdisc
{
    private FilterBlock _block;

    public IngressQdisc(QdiscContext context) : base(context) => _block = Filters;

    public override string Kind => "ingress";

    public override FilterBlock IngressBlock => _block;

    /// <summary>ingress_find(): TC_H_MIN(classid) + 1, never "not found".</summary>
    public override QdiscClass? FindClass(uint classId) => new HookClass(classId, Handle);

    /// <summary>ingress_tcf_block(): the one block, whatever the class.</summary>
    public override FilterBlock? ClassFilters(QdiscClass cl) => _block;

    internal override void ShareBlock(bool egress, uint index, FilterBlock block)
    {
        if (egress) throw new InvalidOperationException("ingress has no egress block");
        IngressBlockIndex = index;
        _block = block;
    }
}
