using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;

namespace Sched.Fast.Tests.Qdiscs.Fifo;

public sealed class PfifoContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() => new PfifoKind().Create(new FifoSpec(100), RootContext());
}
