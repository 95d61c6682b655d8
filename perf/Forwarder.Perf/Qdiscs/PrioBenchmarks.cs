using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Prio;

namespace Forwarder.Perf.Qdiscs;

/// <summary>prio with three pfifo bands and the default priomap; packets carry priorities 0..15 by flow.</summary>
public class PrioBenchmarks : AqmBenchmarkBase
{
    protected override Qdisc Create(QdiscContext context) =>
        new PrioKind().Create(new PrioSpec(3, (byte[])PrioSpec.DefaultPriomap.Clone()), context);
}
