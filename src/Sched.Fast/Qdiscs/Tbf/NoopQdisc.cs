using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Tbf;

/// <summary>
/// noop_qdisc (net/sched/sch_generic.c): drops everything and sends nothing. tbf holds it as its child when it
/// has none (created with limit 0, or after its child was deleted): every packet is then dropped, and counted as
/// a drop by tbf, since noop_enqueue() returns NET_XMIT_CN without counting it itself.
/// </summary>
public sealed class NoopQdisc : Qdisc
{
    public NoopQdisc(QdiscContext context) : base(context) => Unlisted = true;

    public override string Kind => "noop";

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        packet.Free();
        return EnqueueResult.Congestion;
    }

    protected override Packet? DequeueCore(TimeNs now) => null;

    public override Packet? Peek(TimeNs now) => null;

    protected override void ResetCore() { }

    public override QdiscSpec Dump() => NoopSpec.Instance;
}
