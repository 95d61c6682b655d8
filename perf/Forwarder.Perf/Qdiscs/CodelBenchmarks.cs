using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Codel;

namespace Forwarder.Perf.Qdiscs;

/// <summary>codel: tail-drop FIFO plus the CoDel check at dequeue.</summary>
public class CodelBenchmarks : AqmBenchmarkBase
{
    protected override Qdisc Create(QdiscContext context) => new CodelKind().Create(null, context);
}
