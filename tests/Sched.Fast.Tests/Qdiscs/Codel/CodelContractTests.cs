using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Codel;

namespace Sched.Fast.Tests.Qdiscs.Codel;

public sealed class CodelContractTests : QdiscContractTests
{
    // Times that survive the kernel's microsecond -> 1024 ns -> microsecond round trip (multiples of 128 us), so
    // that Create(Dump()) dumps the same spec.
    protected override Qdisc CreateQdisc() =>
        new CodelKind().Create(new CodelSpec(Limit: 200, TargetUs: 5120, IntervalUs: 102400, Ecn: false), RootContext());
}
