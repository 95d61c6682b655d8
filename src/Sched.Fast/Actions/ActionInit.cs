using Sched.Fast.Classifiers;
using Sched.Fast.Tc;

namespace Sched.Fast.Actions;

/// <summary>
/// The kernel half of an action list (net/sched/act_api.c tcf_action_init(), tcf_action_init_1()): look every kind
/// up first, initialise each action (create, bind or replace), and only when all succeeded make the new ones
/// visible in their tables. Any failure releases what was taken, so the tables end as they began.
/// </summary>
public static class ActionInit
{
    /// <summary>
    /// Initialises <paramref name="items"/> (at most <see cref="ActionParser.MaxActions"/> are used, as the kernel
    /// ignores the rest). <paramref name="bind"/>: a filter's actions (TCA_ACT_FLAGS_BIND), whose offload flags must
    /// agree with <paramref name="filterFlags"/>. <paramref name="created"/> tells which actions are new.
    /// </summary>
    public static TcAction[] Init(FilterNamespace ns, Classifier? tp, IReadOnlyList<ActionItem> items, bool bind,
        bool replace, uint filterFlags, out bool[] created)
    {
        int n = Math.Min(items.Count, ActionParser.MaxActions);
        var kinds = new ActionKind[n];
        for (int i = 0; i < n; i++)
        {
            kinds[i] = ActionKinds.Find(items[i].Kind) ??
                       throw KernelError.ExtAck("Failed to load TC action module");
        }

        var actions = new TcAction[n];
        created = new bool[n];
        int done = 0;
        try
        {
            long now = ns.Clock.Now.Value;
            for (; done < n; done++)
            {
                ActionItem item = items[done];
                uint userFlags = item.Flags & (ActionFlags.NoPercpuStats | ActionFlags.SkipHw | ActionFlags.SkipSw);
                if ((userFlags & (ActionFlags.SkipHw | ActionFlags.SkipSw)) == (ActionFlags.SkipHw | ActionFlags.SkipSw))
                    throw KernelError.Errno(Errno.EINVAL);
                var context = new ActionInitContext
                {
                    Namespace = ns,
                    Table = ns.Actions.For(kinds[done].Name),
                    Classifier = tp,
                    Bind = bind,
                    Replace = replace,
                    UserFlags = userFlags,
                    NowNs = now,
                };
                ActionInitResult r = kinds[done].Init(item.Options, context);
                actions[done] = r.Action;
                created[done] = r.Created;
                if (r.Created)
                {
                    r.Action.InstalledNs = now;
                    r.Action.LastUsedNs = now;
                    r.Action.Flags = userFlags;
                    r.Action.CreatedByFilter = bind;
                }
                if (item.Cookie is not null) r.Action.Cookie = item.Cookie;
                r.Action.HwStats = item.HwStats ?? ActionFlags.HwStatsAny;
                CheckOffloadFlags(r.Action, bind, filterFlags);
            }
        }
        catch (TcException)
        {
            // tcf_action_destroy(): release everything taken, newest first; new actions were never inserted.
            for (int i = done; i >= 0; i--)
            {
                TcAction? a = i < n ? actions[i] : null;
                if (a is null) continue;
                if (created[i]) DiscardNew(a);
                else a.Table!.Put(a, bind);
            }
            throw;
        }

        // tcf_idr_insert_many(): publish the new actions.
        for (int i = 0; i < n; i++)
        {
            if (created[i]) actions[i].Table!.Insert(actions[i]);
        }
        return actions;
    }

    /// <summary>
    /// The offload-flag agreement tcf_action_init() demands: an action created by a filter inherits the filter's
    /// skip flags, a standalone one bound by index must carry the same ones; a standalone action asking to skip
    /// software needs hardware, which there is none of.
    /// </summary>
    private static void CheckOffloadFlags(TcAction a, bool bind, uint filterFlags)
    {
        bool filterSkipSw = (filterFlags & ClassifierFlags.SkipSw) != 0;
        bool filterSkipHw = (filterFlags & ClassifierFlags.SkipHw) != 0;
        bool actSkipSw = (a.Flags & ActionFlags.SkipSw) != 0;
        bool actSkipHw = (a.Flags & ActionFlags.SkipHw) != 0;
        if (!bind)
        {
            if (actSkipSw) throw KernelError.Errno(Errno.EINVAL);
            return;
        }
        if (a.CreatedByFilter)
        {
            if ((actSkipSw && !filterSkipSw) || (actSkipHw && !filterSkipHw))
                throw KernelError.ExtAck("Mismatch between action and filter offload flags");
            if (filterSkipSw) a.Flags |= ActionFlags.SkipSw;
            if (filterSkipHw) a.Flags |= ActionFlags.SkipHw;
            return;
        }
        if (filterSkipSw != actSkipSw || filterSkipHw != actSkipHw)
            throw KernelError.ExtAck("Mismatch between action and filter offload flags");
    }

    /// <summary>Drops a just-created action that never reached its table (its index reservation too).</summary>
    private static void DiscardNew(TcAction a)
    {
        a.RefCount = 1;
        a.Table!.Put(a, bind: false);
    }

    /// <summary>tcf_action_destroy(actions, bind): a filter's actions released when the filter goes.</summary>
    public static void Release(IReadOnlyList<TcAction> actions, bool bind)
    {
        foreach (TcAction a in actions) a.Table?.Put(a, bind);
    }
}
