using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Prio;

namespace Sched.Fast.Tests.Qdiscs.Prio;

public sealed class PrioSixteenBandsContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() =>
        new PrioKind().Create(new PrioSpec(16, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]), RootContext());

    protected override bool PreservesFlowOrder => false;
}
