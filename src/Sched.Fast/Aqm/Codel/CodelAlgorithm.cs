using System.Runtime.CompilerServices;
using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Sched.Fast.Aqm.Codel;

/// <summary>
/// The CoDel control law (RFC 8289; include/net/codel_impl.h), shared by codel and fq_codel. The host qdisc owns
/// the queue and hands it in as a struct adapter; CoDel decides which head packets to drop or CE-mark on the way
/// out. One difference from the kernel: <c>now</c> is passed in instead of read with codel_get_time(), so the
/// algorithm runs in simulated time. The integer arithmetic (1024 ns units, the Q0.16 reciprocal square root and
/// its Newton step, reciprocal_scale) is the kernel's, so drop times match it unit for unit.
/// </summary>
public static class CodelAlgorithm
{
    private const int RecInvSqrtBits = 16;                    // 8 * sizeof(u16)
    private const int RecInvSqrtShift = 32 - RecInvSqrtBits;  // REC_INV_SQRT_SHIFT

    /// <summary>codel_set_enqueue_time(): stamp the packet as it enters the queue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetEnqueueTime(Packet packet, TimeNs now) => packet.Meta.EnqueueNs = now.Value;

    /// <summary>codel_get_enqueue_time(), in codel units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint EnqueueTime(Packet packet) => CodelTime.FromNs(packet.Meta.EnqueueNs);

    /// <summary>
    /// codel_Newton_step(): one Newton iteration of 1/sqrt(count), in Q0.32 internally:
    /// new_invsqrt = (invsqrt / 2) * (3 - count * invsqrt^2).
    /// </summary>
    public static void NewtonStep(ref CodelVars vars)
    {
        uint invsqrt = (uint)vars.RecInvSqrt << RecInvSqrtShift;
        uint invsqrt2 = (uint)(((ulong)invsqrt * invsqrt) >> 32);
        ulong val = (3UL << 32) - (ulong)vars.Count * invsqrt2;
        val >>= 2; // avoid overflow in the multiply below
        val = (val * invsqrt) >> (32 - 2 + 1);
        vars.RecInvSqrt = (ushort)(val >> RecInvSqrtShift);
    }

    /// <summary>codel_control_law(): t + interval / sqrt(count), with the reciprocal kept in rec_inv_sqrt.</summary>
    public static uint ControlLaw(uint t, uint interval, ushort recInvSqrt) =>
        t + FlowHash.Scale(interval, (uint)recInvSqrt << RecInvSqrtShift);

    /// <summary>
    /// codel_should_drop(): records the packet's sojourn time and says whether it has been above target for at
    /// least an interval (and the backlog exceeds one MTU).
    /// </summary>
    private static bool ShouldDrop(Packet? packet, ref CodelVars vars, in CodelParams p, ref CodelStats stats,
        uint backlog, uint now)
    {
        if (packet is null)
        {
            vars.FirstAboveTime = 0;
            return false;
        }
        uint len = (uint)packet.QdiscLength;
        vars.Ldelay = now - EnqueueTime(packet);
        if (len > stats.MaxPacket) stats.MaxPacket = len;

        if (CodelTime.Before(vars.Ldelay, p.Target) || backlog <= p.Mtu)
        {
            // went below: stay below for at least an interval
            vars.FirstAboveTime = 0;
            return false;
        }
        bool okToDrop = false;
        if (vars.FirstAboveTime == 0)
        {
            // just went above from below: if it stays above for an interval, dropping is allowed
            vars.FirstAboveTime = now + p.Interval;
        }
        else if (CodelTime.After(now, vars.FirstAboveTime))
        {
            okToDrop = true;
        }
        return okToDrop;
    }

    /// <summary>
    /// codel_dequeue(): the next packet CoDel lets through, dropping (or CE-marking) head packets as the control
    /// law says. Dropped packets go through <see cref="ICodelQueue.Drop"/> and are counted in
    /// <see cref="CodelStats.DropCount"/>/<see cref="CodelStats.DropLength"/> for the host to report upwards.
    /// </summary>
    public static Packet? Dequeue<TQueue>(ref TQueue queue, in CodelParams p, ref CodelVars vars,
        ref CodelStats stats, TimeNs time)
        where TQueue : struct, ICodelQueue
    {
        Packet? packet = queue.DequeueHead();
        if (packet is null)
        {
            vars.Dropping = false;
            return null;
        }
        uint now = CodelTime.FromTime(time);
        bool drop = ShouldDrop(packet, ref vars, p, ref stats, queue.Backlog, now);
        if (vars.Dropping)
        {
            if (!drop)
            {
                // sojourn time below target: leave the dropping state
                vars.Dropping = false;
            }
            else if (CodelTime.AfterOrEqual(now, vars.DropNext))
            {
                // Time for the next drop: drop this packet and take the next, which may end the dropping
                // state; a large backlog can make the next drop due at once, hence the loop.
                while (vars.Dropping && CodelTime.AfterOrEqual(now, vars.DropNext))
                {
                    vars.Count++; // wrap is harmless: there is no division any more
                    NewtonStep(ref vars);
                    if (p.Ecn && Ecn.TrySetCe(packet!))
                    {
                        stats.EcnMark++;
                        vars.DropNext = ControlLaw(vars.DropNext, p.Interval, vars.RecInvSqrt);
                        goto End;
                    }
                    stats.DropLength += (uint)packet!.QdiscLength;
                    queue.Drop(packet);
                    stats.DropCount++;
                    packet = queue.DequeueHead();
                    if (!ShouldDrop(packet, ref vars, p, ref stats, queue.Backlog, now))
                    {
                        vars.Dropping = false;
                    }
                    else
                    {
                        vars.DropNext = ControlLaw(vars.DropNext, p.Interval, vars.RecInvSqrt);
                    }
                }
            }
        }
        else if (drop)
        {
            if (p.Ecn && Ecn.TrySetCe(packet))
            {
                stats.EcnMark++;
            }
            else
            {
                stats.DropLength += (uint)packet.QdiscLength;
                queue.Drop(packet);
                stats.DropCount++;
                packet = queue.DequeueHead();
                ShouldDrop(packet, ref vars, p, ref stats, queue.Backlog, now);
            }
            vars.Dropping = true;
            // If the sojourn time went above target soon after it last went below, the drop rate that
            // controlled the queue last time is a good starting point now.
            uint delta = vars.Count - vars.LastCount;
            if (delta > 1 && CodelTime.Before(now - vars.DropNext, 16 * p.Interval))
            {
                vars.Count = delta;
                // an imprecise rec_inv_sqrt is fine: the next Newton steps correct it quadratically
                NewtonStep(ref vars);
            }
            else
            {
                vars.Count = 1;
                vars.RecInvSqrt = (ushort)(~0U >> RecInvSqrtShift);
            }
            vars.LastCount = vars.Count;
            vars.DropNext = ControlLaw(now, p.Interval, vars.RecInvSqrt);
        }
    End:
        if (packet is not null && CodelTime.After(vars.Ldelay, p.CeThreshold))
        {
            bool setCe = true;
            if (p.CeThresholdMask != 0)
            {
                int dsfield = DsField.Get(packet);
                setCe = dsfield >= 0 && (dsfield & p.CeThresholdMask) == p.CeThresholdSelector;
            }
            if (setCe && Ecn.TrySetCe(packet)) stats.CeMark++;
        }
        return packet;
    }
}
