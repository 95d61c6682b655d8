using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.FqCodel;

namespace Forwarder.Perf.Qdiscs;

/// <summary>fq_codel with the kernel's defaults (1024 flows): hash, flow lists, DRR, per-flow CoDel.</summary>
public class FqCodelBenchmarks : AqmBenchmarkBase
{
    protected override Qdisc Create(QdiscContext context) => new FqCodelKind().Create(null, context);
}
