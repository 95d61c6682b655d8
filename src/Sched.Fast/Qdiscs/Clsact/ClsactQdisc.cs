using Sched.Fast.Classifiers;
using Sched.Fast.Qdiscs.Ingress;
using Sched.Fast.Tc;

namespace Sched.Fast.Qdiscs.Clsact;

/// <summary>
/// clsact (sch_ingress.c): two filter blocks, one run on received packets (parent ffff:fff2) and one on packets
/// about to be queued for transmission (parent ffff:fff3, before the root qdisc, sch_handle_egress()).
/// </summary>
public sealed class ClsactQdisc : HookQdisc
{
    private FilterBlock _ingress;
    private FilterBlock _egress = new();

    public ClsactQdisc(QdiscContext context) : base(context) => _ingress = Filters;

    public override string Kind => "clsact";

    public override FilterBlock IngressBlock => _ingress;

    /// <summary>The filters run before the root qdisc on packets the device sends.</summary>
    public FilterBlock EgressBlock => _egress;

    /// <summary>clsact_find(): only the two hooks, ffff:fff2 and ffff:fff3.</summary>
    public override QdiscClass? FindClass(uint classId) => TcHandle.Minor(classId) switch
    {
        TcHandle.MinIngress or TcHandle.MinEgress => new HookClass(classId, Handle),
        _ => null,
    };

    /// <summary>clsact_tcf_block().</summary>
    public override FilterBlock? ClassFilters(QdiscClass cl) => TcHandle.Minor(cl.ClassId) switch
    {
        TcHandle.MinIngress => _ingress,
        TcHandle.MinEgress => _egress,
        _ => null,
    };

    /// <summary>Both hooks' private blocks go with the qdisc; shared ones with their last user (tc-filters).</summary>
    protected override void FlushFilters()
    {
        base.FlushFilters();
        if (!IsEgressBlockShared) _egress.Flush();
    }

    internal override void ShareBlock(bool egress, uint index, FilterBlock block)
    {
        if (egress)
        {
            EgressBlockIndex = index;
            _egress = block;
        }
        else
        {
            IngressBlockIndex = index;
            _ingress = block;
        }
    }
}
