using Sched.Fast.Classifiers;
using Sched.Fast.Tc;

namespace Sched.Fast.Actions;

/// <summary>
/// One action kind's index space in one namespace (struct tcf_idrinfo): index → action, lowest free index first
/// (idr_alloc_u32 from 1), and the reference rules of net/sched/act_api.c. Control path only.
/// </summary>
public sealed class ActionTable
{
    // A null value is a reserved index (the kernel's ERR_PTR(-EBUSY)) while an action is being initialised.
    private readonly SortedDictionary<uint, TcAction?> _actions = [];

    public ActionTable(string kind) => Kind = kind;

    public string Kind { get; }

    /// <summary>The actions in index order (idr_for_each).</summary>
    public IEnumerable<TcAction> Actions => _actions.Values.Where(a => a is not null)!;

    public int Count => _actions.Values.Count(a => a is not null);

    /// <summary>idr_find(): the action at <paramref name="index"/>, or null.</summary>
    public TcAction? Find(uint index) => _actions.GetValueOrDefault(index);

    /// <summary>
    /// tcf_idr_check_alloc(): with <paramref name="index"/> set, the existing action there (taking a reference, and
    /// a bind when <paramref name="bind"/>), or a reservation of that index; with 0, a reservation of the lowest
    /// free index, written back. Returns the existing action or null when an index was reserved.
    /// </summary>
    public TcAction? CheckAlloc(ref uint index, bool bind)
    {
        if (index != 0)
        {
            if (_actions.TryGetValue(index, out TcAction? existing))
            {
                if (existing is null) throw KernelError.Errno(Errno.EAGAIN);
                existing.RefCount++;
                if (bind) existing.BindCount++;
                return existing;
            }
            _actions.Add(index, null);
            return null;
        }
        uint candidate = 1;
        foreach (uint used in _actions.Keys)
        {
            if (used > candidate) break;
            if (used == candidate)
            {
                if (candidate == uint.MaxValue) throw KernelError.Errno(Errno.ENOSPC);
                candidate++;
            }
        }
        index = candidate;
        _actions.Add(index, null);
        return null;
    }

    /// <summary>tcf_idr_cleanup(): drops a reservation that was not used.</summary>
    public void Cleanup(uint index)
    {
        if (_actions.TryGetValue(index, out TcAction? a) && a is null) _actions.Remove(index);
    }

    /// <summary>tcf_idr_insert_many(): fills the reservation with the initialised action.</summary>
    public void Insert(TcAction action)
    {
        action.Table = this;
        _actions[action.Index] = action;
    }

    /// <summary>
    /// __tcf_action_put(): drops a reference (and a bind). The last reference removes the action from the table
    /// and destroys it (tcf_action_cleanup). Returns true when it was destroyed.
    /// </summary>
    public bool Put(TcAction action, bool bind)
    {
        if (bind) action.BindCount--;
        if (--action.RefCount > 0) return false;
        // A new action dropped during its init still sits behind its index reservation (null).
        if (_actions.TryGetValue(action.Index, out TcAction? current) && (current is null || ReferenceEquals(current, action)))
            _actions.Remove(action.Index);
        Destroy(action);
        return true;
    }

    /// <summary>
    /// __tcf_idr_release(p, bind, strict): as <see cref="Put"/>, but a strict unbound release (the act API) of an
    /// action still bound to filters fails with EPERM.
    /// </summary>
    public bool Release(TcAction action, bool bind, bool strict)
    {
        if (!bind && strict && action.BindCount > 0) throw KernelError.Errno(Errno.EPERM);
        return Put(action, bind);
    }

    /// <summary>tcf_idr_delete_index(): "tc actions delete" of an unbound action.</summary>
    public void DeleteIndex(uint index)
    {
        TcAction? a = _actions.GetValueOrDefault(index) ?? throw KernelError.Errno(Errno.ENOENT);
        if (a.BindCount != 0) throw KernelError.Errno(Errno.EPERM);
        if (--a.RefCount == 0)
        {
            _actions.Remove(index);
            Destroy(a);
        }
    }

    /// <summary>
    /// tcf_del_walker(): "tc actions flush". Deletes unbound actions in index order until a bound one stops it;
    /// returns how many went and whether it stopped early.
    /// </summary>
    public (int Deleted, bool Stopped) Flush()
    {
        int n = 0;
        foreach (uint index in _actions.Keys.ToArray())
        {
            TcAction? a = _actions[index];
            if (a is null) continue;
            if (a.BindCount > 0) return (n, true);
            if (--a.RefCount == 0)
            {
                _actions.Remove(index);
                Destroy(a);
            }
            n++;
        }
        return (n, false);
    }

    /// <summary>tcf_action_cleanup()/free_tcf(): the kind's cleanup, then the goto chain reference.</summary>
    private static void Destroy(TcAction action)
    {
        action.Destroy();
        FilterChain? chain = action.SetControl(action.Control, null);
        chain?.Block.PutChain(chain, byAction: true);
        action.Table = null;
    }
}
