using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.PfifoFast;

namespace Sched.Fast.Tests.Qdiscs.PfifoFast;

public sealed class PfifoFastContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() => new PfifoFastKind().Create(null, RootContext());

    // Packets of one flow carry random priorities in the contract suite, so they may change band.
    protected override bool PreservesFlowOrder => false;
}
