using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.FqCodel;

namespace Sched.Fast.Tests.Qdiscs.FqCodel;

public sealed class FqCodelDefaultContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() =>
        new FqCodelKind().Create(new FqCodelSpec(TargetUs: 5120, IntervalUs: 102400), RootContext());
}
