using Sched.Fast.Qdiscs;

namespace Sched.Fast.Tests.Qdiscs.Htb;

/// <summary>htb with unclassified traffic going to a shaped default leaf under a parent.</summary>
public sealed class HtbContractTests : QdiscContractTests
{
    protected override bool MayThrottle => true;

    protected override Qdisc CreateQdisc() => HtbTestTree.Create(Device, "default 20",
        "1: 1:1 rate 10mbit",
        "1:1 1:10 rate 2mbit ceil 10mbit prio 0",
        "1:1 1:20 rate 3mbit ceil 8mbit prio 1",
        "1:1 1:30 rate 1mbit ceil 2mbit");
}

/// <summary>htb without a default class: everything passes through the direct queue.</summary>
public sealed class HtbDirectQueueContractTests : QdiscContractTests
{
    protected override Qdisc CreateQdisc() => HtbTestTree.Create(Device, "direct_qlen 64", "1: 1:1 rate 1mbit");
}
