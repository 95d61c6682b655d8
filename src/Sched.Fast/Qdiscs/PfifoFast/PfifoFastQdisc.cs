using System.Diagnostics;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs.Prio;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.PfifoFast;

/// <summary>
/// pfifo_fast (net/sched/sch_generic.c): three FIFO bands; skb->priority picks the band through the fixed priomap;
/// band 0 empties first, then 1, then 2. Each band holds up to txqueuelen packets (since Linux 4.16 every band is
/// its own ring of tx_queue_len slots), and an arrival to a full band is dropped.
/// </summary>
public sealed class PfifoFastQdisc : Qdisc
{
    public const int Bands = 3;
    private readonly PacketQueue[] _bands = new PacketQueue[Bands];

    public PfifoFastQdisc(QdiscContext context) : base(context) =>
        BandLimit = Math.Max(1, context.Device.TxQueueLength);

    public override string Kind => "pfifo_fast";

    /// <summary>pfifo_fast_init() sets TCQ_F_CAN_BYPASS.</summary>
    public override bool CanBypass => true;

    /// <summary>Packets each band holds at most.</summary>
    public int BandLimit { get; }

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        int band = PrioSpec.DefaultPriomap[packet.Priority & PrioSpec.PrioMax];
        ref PacketQueue q = ref _bands[band];
        if (q.Count >= BandLimit) return DropPacket(packet);
        q.EnqueueTail(packet);
        CountQueued(packet);
        return EnqueueResult.Success;
    }

    protected override Packet? DequeueCore(TimeNs now)
    {
        for (int band = 0; band < Bands; band++)
        {
            Packet? p = _bands[band].DequeueHead();
            if (p is null) continue;
            CountDequeued(p);
            return p;
        }
        return null;
    }

    public override Packet? Peek(TimeNs now)
    {
        for (int band = 0; band < Bands; band++)
        {
            if (_bands[band].Head is { } p) return p;
        }
        return null;
    }

    protected override void ResetCore()
    {
        for (int band = 0; band < Bands; band++) _bands[band].Purge();
    }

    public override QdiscSpec Dump() => new PrioSpec(Bands, (byte[])PrioSpec.DefaultPriomap.Clone());

    public override void AssertInvariants()
    {
        base.AssertInvariants();
        long n = 0, bytes = 0;
        for (int band = 0; band < Bands; band++)
        {
            _bands[band].AssertInvariants();
            n += _bands[band].Count;
            bytes += _bands[band].Bytes;
        }
        Debug.Assert(n == Stats.Qlen && bytes == Stats.Backlog, "pfifo_fast: qlen/backlog differ from the bands");
    }
}
