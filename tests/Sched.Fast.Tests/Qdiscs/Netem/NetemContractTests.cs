using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;
using Sched.Fast.Qdiscs.Netem;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>The qdisc contract for netem in its main configurations (duplication and ECN marking are left out:
/// they break "enqueued = sent + dropped + held" on purpose, as the kernel's do, and have their own tests).</summary>
public abstract class NetemContractTests : QdiscContractTests
{
    protected abstract string Options { get; }

    protected override bool MayThrottle => true;

    protected override Qdisc CreateQdisc() => new NetemKind().Create(NetemRig.Spec(Options, seed: 3), RootContext());
}

public sealed class NetemDelayContractTests : NetemContractTests
{
    protected override string Options => "delay 5ms";
}

public sealed class NetemJitterLossReorderContractTests : NetemContractTests
{
    protected override string Options => "limit 300 delay 5ms 3ms 20% distribution normal loss 5% 10% corrupt 1% reorder 10% 30%";
    protected override bool PreservesFlowOrder => false;
}

public sealed class NetemRateContractTests : NetemContractTests
{
    protected override string Options => "delay 1ms rate 10mbit 14 64 4 limit 200";
}

public sealed class NetemSlotContractTests : NetemContractTests
{
    protected override string Options => "delay 2ms slot 1ms 3ms packets 4 bytes 3000";
}

public sealed class NetemStateLossContractTests : NetemContractTests
{
    protected override string Options => "loss state 5% 30% 10% 40% 1% delay 1ms";
}

public sealed class NetemGilbertElliottContractTests : NetemContractTests
{
    protected override string Options => "loss gemodel 5% 30% 50% 1% slot distribution pareto 1ms 500us";
}

public sealed class NetemWithChildContractTests : NetemContractTests
{
    protected override string Options => "delay 3ms";

    protected override Qdisc CreateQdisc()
    {
        var netem = (NetemQdisc)base.CreateQdisc();
        Qdisc child = new BfifoKind().Create(new FifoSpec(20_000), new QdiscContext(Device, 0x0010_0000, 0x0001_0001));
        netem.Graft(netem.FindClass(0x0001_0001)!, child);
        return netem;
    }
}
