using Sched.Fast.Actions;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tc;

namespace Sched.Fast.Qdiscs;

/// <summary>
/// The filter half of the flow qdiscs' classify (sfq_classify(), fq_codel_classify(): the same code in both kernel
/// files): run the attached filters and take the class minor as the 1-based flow, or 0 to drop.
/// </summary>
internal static class FlowFilters
{
    /// <summary>
    /// The flow the filters chose (1..<paramref name="flows"/>), or 0 to drop, with <paramref name="result"/>
    /// saying how the drop counts: bypass (the qdisc counts a drop) or stolen by an action (it does not).
    /// </summary>
    public static uint Classify(FilterBlock filters, Packet packet, uint flows, out EnqueueResult result)
    {
        result = EnqueueResult.Success | EnqueueResult.Bypass;
        var res = new ClassifyResult();
        int verdict = filters.Classify(packet, ref res);
        if (verdict >= 0)
        {
            switch (verdict)
            {
                case TcAct.Stolen or TcAct.Queued or TcAct.Trap:
                    result = EnqueueResult.Success | EnqueueResult.Stolen;
                    return 0;
                case TcAct.Shot:
                    return 0;
            }
            if (TcHandle.Minor(res.ClassId) <= flows) return TcHandle.Minor(res.ClassId);
        }
        return 0;
    }
}
