using System.Diagnostics;
using Sched.Fast.Actions;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Prio;

/// <summary>
/// prio (net/sched/sch_prio.c): strict priority over 2 to 16 bands, each a child qdisc (pfifo by default). A
/// packet goes to the band its skb->priority names when the major is this qdisc's handle; otherwise the attached
/// filters decide (a classid's minor - 1 is the band), and without a match the priomap maps the priority's low
/// four bits to a band. Dequeue always serves the lowest band that has something to send.
/// </summary>
public sealed class PrioQdisc : ClassfulQdisc
{
    private readonly Qdisc[] _queues = new Qdisc[PrioSpec.MaxBands];
    private readonly PrioClass[] _classes = new PrioClass[PrioSpec.MaxBands];
    private readonly byte[] _prio2band = new byte[PrioSpec.PrioMax + 1];
    private int _bands;

    internal PrioQdisc(QdiscContext context, PrioSpec spec) : base(context)
    {
        for (int i = 0; i < PrioSpec.MaxBands; i++) _classes[i] = new PrioClass(this, i);
        Tune(spec);
    }

    public override string Kind => "prio";

    public int Bands => _bands;

    /// <summary>The child qdisc of <paramref name="band"/>.</summary>
    public Qdisc BandQdisc(int band) => _queues[band];

    internal static TcException Einval() => TcException.Errno(Errno.EINVAL);

    /// <summary>
    /// prio_tune(): validate, create the default children of new bands before committing, then flush and
    /// destroy the children of bands that went away.
    /// </summary>
    private void Tune(PrioSpec s)
    {
        if (s.Bands > PrioSpec.MaxBands || s.Bands < PrioSpec.MinBands || s.Priomap.Length != PrioSpec.PrioMax + 1)
            throw Einval();
        foreach (byte b in s.Priomap)
        {
            if (b >= s.Bands) throw Einval();
        }

        int oldBands = _bands;
        var created = new Qdisc[PrioSpec.MaxBands];
        for (int i = oldBands; i < s.Bands; i++) created[i] = CreateChild(i);

        _bands = s.Bands;
        s.Priomap.CopyTo(_prio2band, 0);
        for (int i = _bands; i < oldBands; i++)
        {
            Qdisc gone = _queues[i];
            gone.TreeReduceBacklog(gone.QueueLength, (int)gone.BacklogBytes); // qdisc_tree_flush_backlog()
        }
        for (int i = oldBands; i < _bands; i++) _queues[i] = created[i];
        for (int i = _bands; i < oldBands; i++)
        {
            _queues[i].Destroy();
            _queues[i] = null!;
        }
    }

    /// <summary>qdisc_create_dflt(pfifo) attached under band <paramref name="band"/>.</summary>
    private Qdisc CreateChild(int band)
    {
        uint classId = TcHandle.Make(Handle, (uint)band + 1);
        Qdisc child = Context.CreateDefault("pfifo", 0, classId);
        child.ParentQdisc = this;
        child.Parent = classId;
        return child;
    }

    public override void Change(QdiscSpec spec)
    {
        if (spec is not PrioSpec s) throw new ArgumentException("prio expects prio options", nameof(spec));
        Tune(s);
    }

    /// <summary>prio_classify(): the band's qdisc, or null to drop (<paramref name="result"/> says how to count it).</summary>
    private Qdisc? Classify(Packet packet, out EnqueueResult result)
    {
        uint band = packet.Priority;
        result = EnqueueResult.Success | EnqueueResult.Bypass;
        if (TcHandle.Major(band) != Handle)
        {
            var res = new ClassifyResult();
            int err = Filters.Classify(packet, ref res);
            switch (err)
            {
                case TcAct.Stolen or TcAct.Queued or TcAct.Trap:
                    result = EnqueueResult.Success | EnqueueResult.Stolen;
                    return null;
                case TcAct.Shot:
                    return null;
            }
            if (err < 0)
            {
                if (TcHandle.Major(band) != 0) band = 0;
                return _queues[_prio2band[band & PrioSpec.PrioMax]];
            }
            band = res.ClassId;
        }
        band = TcHandle.Minor(band) - 1;
        if (band >= (uint)_bands) return _queues[_prio2band[0]];
        return _queues[band];
    }

    /// <summary>prio_enqueue().</summary>
    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        Qdisc? child = Classify(packet, out EnqueueResult ret);
        if (child is null)
        {
            if ((ret & EnqueueResult.Bypass) != 0) Stats.Drops++;
            packet.Free();
            return ret;
        }
        uint len = (uint)packet.QdiscLength;
        ret = child.Enqueue(packet, now);
        if (ret == EnqueueResult.Success)
        {
            Stats.Backlog += len;
            Stats.Qlen++;
            return EnqueueResult.Success;
        }
        if (ret.CountsAsDrop()) Stats.Drops++;
        return ret;
    }

    /// <summary>prio_peek(): the first band's head.</summary>
    public override Packet? Peek(TimeNs now)
    {
        for (int b = 0; b < _bands; b++)
        {
            if (_queues[b].Peek(now) is { } p) return p;
        }
        return null;
    }

    /// <summary>prio_dequeue(): strict priority.</summary>
    protected override Packet? DequeueCore(TimeNs now)
    {
        for (int b = 0; b < _bands; b++)
        {
            Packet? p = _queues[b].Dequeue(now);
            if (p is null) continue;
            CountDequeued(p);
            return p;
        }
        return null;
    }

    protected override void ResetCore()
    {
        for (int b = 0; b < _bands; b++) _queues[b].Reset();
    }

    public override QdiscSpec Dump() => new PrioSpec(_bands, (byte[])_prio2band.Clone());

    // ---- classes ----

    /// <summary>prio_find(): band minor 1..bands.</summary>
    public override QdiscClass? FindClass(uint classId)
    {
        uint band = TcHandle.Minor(classId);
        return band - 1 < (uint)_bands ? _classes[band - 1] : null;
    }

    public override IEnumerable<QdiscClass> WalkClasses()
    {
        for (int b = 0; b < _bands; b++) yield return _classes[b];
    }

    /// <summary>prio_graft(): a new child for the band (pfifo when none is given); the old one, purged, is returned.</summary>
    public override Qdisc Graft(QdiscClass cl, Qdisc? newLeaf)
    {
        int band = ((PrioClass)cl).Band;
        newLeaf ??= CreateChild(band);
        return ReplaceLeaf(ref _queues[band], newLeaf, cl.ClassId);
    }

    /// <summary>The earliest wake-up of a band that holds packets (no allocation: this runs on the data path).</summary>
    public override TimeNs NextWakeup(TimeNs now)
    {
        TimeNs t = Watchdog;
        for (int b = 0; b < _bands; b++)
        {
            if (_queues[b].QueueLength > 0) t = TimeNs.Min(t, _queues[b].NextWakeup(now));
        }
        return t;
    }

    public override void AssertInvariants()
    {
        base.AssertInvariants();
        long n = 0, bytes = 0;
        for (int b = 0; b < _bands; b++)
        {
            Qdisc child = _queues[b];
            Debug.Assert(ReferenceEquals(child.ParentQdisc, this), $"prio: band {b} child has another parent");
            Debug.Assert(child.Parent == TcHandle.Make(Handle, (uint)b + 1), $"prio: band {b} child parent id");
            child.AssertInvariants();
            n += child.QueueLength;
            bytes += child.BacklogBytes;
        }
        Debug.Assert(n == Stats.Qlen, $"prio: qlen {Stats.Qlen} but the bands hold {n}");
        Debug.Assert(bytes == Stats.Backlog, $"prio: backlog {Stats.Backlog} but the bands hold {bytes}");
    }
}
