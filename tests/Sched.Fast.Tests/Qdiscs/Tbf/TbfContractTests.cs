using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Tbf;
using Sched.Fast.Tc;

namespace Sched.Fast.Tests.Qdiscs.Tbf;

public sealed class TbfContractTests : QdiscContractTests
{
    protected override bool MayThrottle => true;

    protected override Qdisc CreateQdisc()
    {
        var kind = new TbfKind();
        QdiscSpec? spec = kind.ParseOptions(TcArgs.Parse("rate 10mbit burst 10kb limit 30000"), TcParseContext.None);
        return kind.Create(spec, RootContext());
    }
}

public sealed class TbfWithPeakRateContractTests : QdiscContractTests
{
    protected override bool MayThrottle => true;

    protected override Qdisc CreateQdisc()
    {
        var kind = new TbfKind();
        QdiscSpec? spec = kind.ParseOptions(
            TcArgs.Parse("rate 5mbit burst 20kb latency 20ms peakrate 20mbit mtu 1600"), TcParseContext.None);
        return kind.Create(spec, RootContext());
    }
}
