using Sched.Fast.Aqm.Red;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Sfq;

namespace Sched.Fast.Tests.Qdiscs.Sfq;

public sealed class SfqRedContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() => new SfqKind().Create(
        new SfqSpec(Limit: 100, RedLimit: 40000, QthMin: 3333, QthMax: 10000, Wlog: 2, Plog: 18,
            Flags: RedFlags.HardDrop, MaxP: TcRed.ProbabilityToMaxP(0.02)), RootContext());
}
