using Sched.Fast.Aqm.Red;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Sfq;

namespace Sched.Fast.Tests.Qdiscs.Sfq;

public sealed class SfqHeaddropContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() =>
        new SfqKind().Create(new SfqSpec(Limit: 60, Depth: 8, Flows: 16, Divisor: 64, Headdrop: true, Quantum: 600),
            RootContext());
}
