using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;

namespace Sched.Fast.Tests.Qdiscs.Fifo;

public sealed class BfifoContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() => new BfifoKind().Create(new FifoSpec(30_000), RootContext());
}
