using Sched.Fast.Actions;

namespace Sched.Fast.Classifiers;

/// <summary>
/// A filter's actions (struct tcf_exts; net/sched/cls_api.c tcf_exts_validate(), tcf_exts_dump()): created bound
/// to the filter, released with it.
/// </summary>
public static class FilterExts
{
    /// <summary>
    /// tcf_exts_validate(): the filter's action list from its parsed actions (none: empty). The actions are bound
    /// to <paramref name="tp"/>'s filter; offload flags must agree with <paramref name="filterFlags"/>.
    /// </summary>
    public static ActionList Validate(Classifier tp, IReadOnlyList<ActionItem>? items, bool replace, uint filterFlags)
    {
        if (items is null || items.Count == 0) return ActionList.Empty;
        FilterNamespace ns = tp.Namespace ?? throw new InvalidOperationException("classifier has no namespace");
        TcAction[] actions = ActionInit.Init(ns, tp, items, bind: true, replace, filterFlags, out _);
        return new ActionList(actions);
    }

    /// <summary>tcf_exts_destroy(): unbinds and releases the actions.</summary>
    public static void Destroy(ActionList list)
    {
        if (!list.IsEmpty) ActionInit.Release(list.Actions, bind: true);
    }

    /// <summary>tcf_exts_dump(): the actions as dumped, or null when there are none.</summary>
    public static IReadOnlyList<ActionItem>? Dump(ActionList list, FilterNamespace? ns)
    {
        if (list.IsEmpty) return null;
        long now = ns?.Clock.Now.Value ?? 0;
        return ActionDump.List(list.Actions, now);
    }
}
