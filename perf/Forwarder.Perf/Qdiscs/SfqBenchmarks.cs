using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Sfq;

namespace Forwarder.Perf.Qdiscs;

/// <summary>sfq with the kernel's defaults (limit 127, 128 slots, 1024 buckets): perturbed hash, depth lists, DRR.</summary>
public class SfqBenchmarks : AqmBenchmarkBase
{
    protected override Qdisc Create(QdiscContext context) => new SfqKind().Create(null, context);
}
