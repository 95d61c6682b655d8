using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Fifo;

/// <summary>
/// The fifo kinds' two halves: tc/q_fifo.c (one "limit" option, printed as packets or as a size) and the kernel's
/// __fifo_init() defaults (txqueuelen packets; txqueuelen * psched_mtu bytes for bfifo).
/// </summary>
public abstract class FifoKind : QdiscKind
{
    protected abstract bool LimitIsBytes { get; }

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        uint? limit = null;
        while (args.HasMore)
        {
            if (args.Is("limit"))
            {
                string value = args.NextArg();
                if (!TcUnits.TryParseSize(value, out uint l))
                    throw new TcException($"{Name}: Illegal value for \"limit\": \"{value}\"", 1, value);
                limit = l;
            }
            else if (args.Is("help"))
            {
                throw new TcException(Usage);
            }
            else
            {
                throw new TcException($"{Name}: unknown parameter \"{args.Current}\"\n{Usage}", 1, args.Current);
            }
            args.Advance();
        }
        return limit is { } v ? new FifoSpec(v) : null;
    }

    private const string Usage = "Usage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]";

    public override void PrintOptions(TcWriter w, QdiscSpec spec)
    {
        var f = (FifoSpec)spec;
        if (LimitIsBytes) w.Size(PrintTarget.Any, "limit", "limit %s", f.Limit);
        else w.Uint(PrintTarget.Any, "limit", "limit %up", f.Limit);
    }

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context)
    {
        uint limit;
        if (spec is null)
        {
            limit = (uint)context.Device.TxQueueLength;
            if (LimitIsBytes) limit *= (uint)context.Device.PschedMtu;
        }
        else
        {
            limit = ((FifoSpec)spec).Limit;
        }
        return CreateQdisc(context, limit);
    }

    protected abstract Qdisc CreateQdisc(QdiscContext context, uint limit);
}
