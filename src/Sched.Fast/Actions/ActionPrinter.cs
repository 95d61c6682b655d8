using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Actions;

/// <summary>
/// The iproute2 half of showing actions (tc/m_action.c tc_dump_action(), tc_print_one_action(); tc/tc_util.c
/// print_tcstats2_attr(), print_tm()), call for call, so plain and JSON output match tc's.
/// </summary>
public static class ActionPrinter
{
    /// <summary>
    /// tc_dump_action(): the "actions" array, each entry as "\n\taction order N: ..." with N counting from
    /// <paramref name="firstOrder"/> (1 in filter dumps and "get", 0 in "tc actions list").
    /// <paramref name="bind"/>: printed as part of a filter (offload flags are the filter's then).
    /// </summary>
    public static void PrintList(TcWriter w, IReadOnlyList<ActionItem> items, int firstOrder, bool bind,
        DeviceTable devices)
    {
        w.OpenArray(PrintTarget.Json, "actions");
        for (int i = 0; i < items.Count; i++)
        {
            w.OpenObject(null);
            w.Newline();
            w.Uint(PrintTarget.Any, "order", "\taction order %u: ", (uint)(firstOrder + i));
            PrintOne(w, items[i], bind, devices);
            w.CloseObject();
        }
        w.CloseArray(PrintTarget.Json);
    }

    /// <summary>tc_print_one_action().</summary>
    public static void PrintOne(TcWriter w, ActionItem item, bool bind, DeviceTable devices)
    {
        ActionKind? kind = ActionKinds.Find(item.Kind);
        if (kind is null || item.Options is null)
        {
            w.String(PrintTarget.Any, "kind", "%s ", item.Kind);
        }
        else
        {
            kind.Print(w, item.Options, devices);
        }

        if (w.Options.ShowStats > 0 && item.Stats is not null)
        {
            w.String(PrintTarget.Plain, null, "\tAction statistics:", null);
            w.Newline();
            w.OpenObject("stats");
            PrintStats(w, item.Stats, "\t");
            w.CloseObject();
            w.Newline();
        }
        if (item.Cookie is not null)
        {
            w.String(PrintTarget.Any, "cookie", "\tcookie %s", item.Cookie);
            w.Newline();
        }
        if (item.Flags != 0 || item.InHwCount is not null)
        {
            bool skipHw = false;
            bool newline = false;
            if (item.Flags != 0)
            {
                // The kernel dumps the flags as a bitfield whose selector equals its value.
                if ((item.Flags & ActionFlags.NoPercpuStats) != 0)
                {
                    newline = true;
                    w.Bool(PrintTarget.Any, "no_percpu", "\tno_percpu", true);
                }
                if (!bind)
                {
                    if ((item.Flags & ActionFlags.SkipHw) != 0)
                    {
                        newline = true;
                        w.Bool(PrintTarget.Any, "skip_hw", "\tskip_hw", true);
                        skipHw = true;
                    }
                    if ((item.Flags & ActionFlags.SkipSw) != 0)
                    {
                        newline = true;
                        w.Bool(PrintTarget.Any, "skip_sw", "\tskip_sw", true);
                    }
                }
            }
            if (item.InHwCount is { } count && !bind && !skipHw)
            {
                newline = true;
                if (count != 0)
                {
                    w.Bool(PrintTarget.Any, "in_hw", "\tin_hw", true);
                    w.Uint(PrintTarget.Any, "in_hw_count", " in_hw_count %u", count);
                }
                else
                {
                    w.Bool(PrintTarget.Any, "not_in_hw", "\tnot_in_hw", true);
                }
            }
            if (newline) w.Newline();
        }
        if (item.HwStats is { } hw) PrintHwStats(w, hw);
    }

    /// <summary>print_hw_stats(): "\thw_stats immediate" (the array key is printed in plain text too).</summary>
    private static void PrintHwStats(TcWriter w, byte hwStats)
    {
        w.String(PrintTarget.Plain, null, "\t", null);
        w.OpenArray(PrintTarget.Any, "hw_stats", "hw_stats");
        if (hwStats == 0) w.String(PrintTarget.Any, null, " %s", "disabled");
        if ((hwStats & ActionFlags.HwStatsImmediate) != 0) w.String(PrintTarget.Any, null, " %s", "immediate");
        if ((hwStats & ActionFlags.HwStatsDelayed) != 0) w.String(PrintTarget.Any, null, " %s", "delayed");
        w.CloseArray(PrintTarget.Json);
        w.Newline();
    }

    /// <summary>print_tcstats2_attr() for an action's TCA_ACT_STATS: basic and queue counters.</summary>
    public static void PrintStats(TcWriter w, QdiscStats s, string prefix)
    {
        w.String(PrintTarget.Plain, null, "%s", prefix);
        w.Uint(PrintTarget.Any, "bytes", "Sent %llu bytes", s.Bytes);
        w.Uint(PrintTarget.Any, "packets", " %llu pkt", s.Packets);
        w.Uint(PrintTarget.Any, "drops", " (dropped %u", s.Drops);
        w.Uint(PrintTarget.Any, "overlimits", ", overlimits %u", s.Overlimits);
        w.Uint(PrintTarget.Any, "requeues", " requeues %u) ", s.Requeues);
        w.Newline();
        w.String(PrintTarget.Plain, null, "%s", prefix);
        w.Size(PrintTarget.Any, "backlog", "backlog %s", s.Backlog);
        w.Uint(PrintTarget.Any, "qlen", " %up", (uint)s.Qlen);
        w.Uint(PrintTarget.Plain, null, " requeues %u", s.Requeues);
    }

    /// <summary>print_tm(): ages in seconds, each only when non-zero.</summary>
    public static void PrintTm(TcWriter w, ActionTm tm)
    {
        const ulong hz = ActionTm.TicksPerSecond;
        if (tm.Install != 0) w.Uint(PrintTarget.Any, "installed", " installed %u sec", tm.Install / hz);
        if (tm.LastUse != 0) w.Uint(PrintTarget.Any, "last_used", " used %u sec", tm.LastUse / hz);
        if (tm.FirstUse != 0) w.Uint(PrintTarget.Any, "first_used", " firstused %u sec", tm.FirstUse / hz);
        if (tm.Expires != 0) w.Uint(PrintTarget.Any, "expires", " expires %u sec", tm.Expires / hz);
    }
}
