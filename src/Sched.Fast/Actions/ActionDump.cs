namespace Sched.Fast.Actions;

/// <summary>The kernel half of dumping actions (net/sched/act_api.c tcf_action_dump_1(), tcf_action_copy_stats()).</summary>
public static class ActionDump
{
    /// <summary>
    /// One action as a full dump carries it: options with refcnt/bindcnt less <paramref name="refAdjust"/> and
    /// <paramref name="bindAdjust"/> (what the dumping path itself holds), times, statistics, cookie, hw_stats when
    /// not "any", user flags when set, and in_hw_count.
    /// </summary>
    public static ActionItem Full(TcAction a, long nowNs, int bindAdjust = 0, int refAdjust = 0)
    {
        ActionSpec options = a.DumpOptions() with
        {
            RefCount = a.RefCount - refAdjust,
            BindCount = a.BindCount - bindAdjust,
            Tm = ActionTm.Dump(nowNs, a.InstalledNs, a.LastUsedNs, a.FirstUsedNs),
        };
        uint flags = a.Flags & ActionFlags.UserMask;
        return new ActionItem(a.Kind, options)
        {
            Stats = a.Stats.Snapshot(),
            Cookie = a.Cookie,
            HwStats = a.HwStats != ActionFlags.HwStatsAny ? a.HwStats : null,
            Flags = flags,
            InHwCount = 0,
        };
    }

    /// <summary>tcf_action_dump(): a filter's action list, in order.</summary>
    public static List<ActionItem> List(IReadOnlyList<TcAction> actions, long nowNs)
    {
        var items = new List<ActionItem>(actions.Count);
        foreach (TcAction a in actions) items.Add(Full(a, nowNs));
        return items;
    }
}
