using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Noqueue;

namespace Sched.Fast.Tests.Qdiscs.Noqueue;

public sealed class NoqueueContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() => new NoqueueKind().Create(null, RootContext());

    protected override bool CountsTraffic => false;
}
