using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// tc/q_netem.c netem_print_opt() of iproute2 6.1, call for call: percentages as "%g%%" of 2^32 - 1 in text and
/// fractions in JSON, delay and jitter from the 32-bit tick fields (tc 6.1 ignores the 64-bit ones), values
/// printed only when nonzero in text but always in JSON, and the odd spacings ("delay 10ms  1ms", "ecn  gap 3").
/// A configured seed prints as iproute2 6.7 prints it, after corrupt.
/// </summary>
internal static class NetemOptionPrinter
{
    public static void Print(TcWriter w, NetemSpec s)
    {
        // print_uint() with "%d": the text shows the u32 limit signed (4294967295 is "limit -1"), JSON unsigned.
        if (w.IsJson) w.Uint(PrintTarget.Json, "limit", null, s.Limit);
        else w.Int(PrintTarget.Plain, null, "limit %d", unchecked((int)s.Limit));
        NetemCorrelationSpec? cor = s.Correlation;

        if (s.LatencyTicks != 0)
        {
            w.OpenObject("delay");
            if (!w.IsJson)
            {
                w.String(PrintTarget.Plain, null, " delay %s", TcUnits.FormatTimeUs(NetemTicks.TicksToMicroseconds(s.LatencyTicks)));
                if (s.JitterTicks != 0)
                    w.String(PrintTarget.Plain, null, "  %s", TcUnits.FormatTimeUs(NetemTicks.TicksToMicroseconds(s.JitterTicks)));
            }
            else
            {
                w.Float(PrintTarget.Json, "delay", null, NetemTicks.TicksToMicroseconds(s.LatencyTicks) / 1000000.0);
                w.Float(PrintTarget.Json, "jitter", null, NetemTicks.TicksToMicroseconds(s.JitterTicks) / 1000000.0);
            }
            Correlation(w, s.JitterTicks != 0 && cor is not null && cor.Delay != 0, cor?.Delay ?? 0);
            w.CloseObject();
        }

        if (s.Loss != 0)
        {
            w.OpenObject("loss-random");
            Percent(w, "loss", " loss", s.Loss);
            Correlation(w, cor is not null && cor.Loss != 0, cor?.Loss ?? 0);
            w.CloseObject();
        }

        if (s.LossModel is NetemStateLossSpec gi)
        {
            w.OpenObject("loss-state");
            Percent(w, "p13", " loss state p13", gi.P13);
            Percent(w, "p31", " p31", gi.P31);
            Percent(w, "p32", " p32", gi.P32);
            Percent(w, "p23", " p23", gi.P23);
            Percent(w, "p14", " p14", gi.P14);
            w.CloseObject();
        }

        if (s.LossModel is NetemGilbertElliottSpec ge)
        {
            w.OpenObject("loss-gemodel");
            Percent(w, "p", " loss gemodel p", ge.P);
            Percent(w, "r", " r", ge.R);
            Percent(w, "1-h", " 1-h", uint.MaxValue - ge.H);
            Percent(w, "1-k", " 1-k", ge.K1);
            w.CloseObject();
        }

        if (s.Duplicate != 0)
        {
            w.OpenObject("duplicate");
            Percent(w, "duplicate", " duplicate", s.Duplicate);
            Correlation(w, cor is not null && cor.Duplicate != 0, cor?.Duplicate ?? 0);
            w.CloseObject();
        }

        if (s.Reorder is { Probability: not 0 } reorder)
        {
            w.OpenObject("reorder");
            Percent(w, "reorder", " reorder", reorder.Probability);
            Correlation(w, reorder.Correlation != 0, reorder.Correlation);
            w.CloseObject();
        }

        if (s.Corrupt is { Probability: not 0 } corrupt)
        {
            w.OpenObject("corrupt");
            Percent(w, "corrupt", " corrupt", corrupt.Probability);
            Correlation(w, corrupt.Correlation != 0, corrupt.Correlation);
            w.CloseObject();
        }

        if (s.Seed is { } seed) w.Uint(PrintTarget.Any, "seed", " seed %llu", seed);

        if (s.Rate is { Rate: not 0 } rate)
        {
            w.OpenObject("rate");
            ulong rate64 = s.Rate64 is { } wide and not 0 ? wide : rate.Rate;
            w.Rate(PrintTarget.Any, "rate", " rate %s", rate64);
            IntOption(w, "packetoverhead", rate.PacketOverhead);
            w.Uint(PrintTarget.Json, "cellsize", null, rate.CellSize);
            if (rate.CellSize != 0) w.Uint(PrintTarget.Plain, null, " cellsize %u", rate.CellSize);
            IntOption(w, "celloverhead", rate.CellOverhead);
            w.CloseObject();
        }

        if (s.Slot is { } slot)
        {
            w.OpenObject("slot");
            if (slot.DistJitterNs > 0)
            {
                Time64(w, "distribution", " slot distribution", slot.DistDelayNs);
                Time64(w, "jitter", "", slot.DistJitterNs);
            }
            else
            {
                Time64(w, "min-delay", " slot", slot.MinDelayNs);
                Time64(w, "max-delay", "", slot.MaxDelayNs);
            }
            IntOption(w, "packets", slot.MaxPackets);
            IntOption(w, "bytes", slot.MaxBytes);
            w.CloseObject();
        }

        w.Bool(PrintTarget.Json, "ecn", null, s.Ecn is not null);
        if (s.Ecn is not null) w.Bool(PrintTarget.Plain, null, " ecn ", true);

        w.Uint(PrintTarget.Json, "gap", null, s.Gap);
        if (s.Gap != 0) w.Uint(PrintTarget.Plain, null, " gap %lu", s.Gap);
    }

    /// <summary>__print_percent(): "%g%%" of the scaled value in text, the fraction in JSON.</summary>
    private static void Percent(TcWriter w, string jsonKey, string label, uint scaled)
    {
        w.Float(PrintTarget.Plain, null, label + " %g%%", 100.0 * scaled / uint.MaxValue);
        w.Float(PrintTarget.Json, jsonKey, null, 1.0 * scaled / uint.MaxValue);
    }

    /// <summary>print_corr(): in text only when present; in JSON always, as "correlation".</summary>
    private static void Correlation(TcWriter w, bool present, uint value)
    {
        if (!w.IsJson)
        {
            if (present) Percent(w, "", "", value);
        }
        else
        {
            Percent(w, "correlation", " correlation", value);
        }
    }

    /// <summary>PRINT_INT_OPT(): always in JSON, in text only when nonzero.</summary>
    private static void IntOption(TcWriter w, string label, int value)
    {
        w.Int(PrintTarget.Json, label, null, value);
        if (value != 0) w.Int(PrintTarget.Plain, null, " " + label + " %d", value);
    }

    /// <summary>__print_time64(): sprint_time64() in text, seconds in JSON.</summary>
    private static void Time64(TcWriter w, string jsonKey, string label, long ns)
    {
        w.String(PrintTarget.Plain, null, label + " %s", TcUnits.FormatTimeNs(ns));
        w.Float(PrintTarget.Json, jsonKey, null, ns / 1000000000.0);
    }
}
