using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.FqCodel;

namespace Sched.Fast.Tests.Qdiscs.FqCodel;

public sealed class FqCodelContractTests : QdiscContractTests
{
    // Times that survive the microsecond -> 1024 ns -> microsecond round trip, so Create(Dump()) dumps the same.
    protected override Qdisc CreateQdisc() => new FqCodelKind().Create(
        new FqCodelSpec(Limit: 300, Flows: 64, TargetUs: 5120, IntervalUs: 102400, Quantum: 300), RootContext());
}
