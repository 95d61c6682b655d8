using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Prio;

namespace Sched.Fast.Tests.Qdiscs.Prio;

public sealed class PrioContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() =>
        new PrioKind().Create(new PrioSpec(3, (byte[])PrioSpec.DefaultPriomap.Clone()), RootContext());

    // Packets of one flow carry random priorities in the contract suite, so they may change band.
    protected override bool PreservesFlowOrder => false;
}
