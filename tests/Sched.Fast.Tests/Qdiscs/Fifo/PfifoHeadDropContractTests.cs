using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;

namespace Sched.Fast.Tests.Qdiscs.Fifo;

public sealed class PfifoHeadDropContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() => new PfifoHeadDropKind().Create(new FifoSpec(50), RootContext());
}
