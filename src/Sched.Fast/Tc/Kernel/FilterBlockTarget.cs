using Sched.Fast.Classifiers;
using Sched.Fast.Qdiscs;

namespace Sched.Fast.Tc.Kernel;

/// <summary>
/// Where a filter command lands (cls_api.c __tcf_qdisc_find + __tcf_qdisc_cl_find + __tcf_block_find): the
/// qdisc, the class when the parent named one, the block, and the parent as the kernel completed it
/// (parent 0 becomes the root qdisc's handle).
/// </summary>
public sealed record FilterBlockTarget(Qdisc Qdisc, QdiscClass? Class, FilterBlock Block, uint Parent);
