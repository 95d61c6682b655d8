using Sched.Fast.Aqm.Red;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Sfq;

namespace Sched.Fast.Tests.Qdiscs.Sfq;

public sealed class SfqContractTests : QdiscContractTests
{
    // The kernel's defaults are not a fixed point of dump-then-create: creating with the dumped limit 127 makes
    // flows min(128, 127) = 127. "limit 127" is one, and otherwise the defaults.
    protected override Qdisc CreateQdisc() => new SfqKind().Create(new SfqSpec(Limit: 127), RootContext());
}
