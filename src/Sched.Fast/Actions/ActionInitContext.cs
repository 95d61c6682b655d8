using Sched.Fast.Classifiers;

namespace Sched.Fast.Actions;

/// <summary>What an action's kernel init sees (tcf_KIND_init arguments).</summary>
public sealed class ActionInitContext
{
    public required FilterNamespace Namespace { get; init; }

    /// <summary>The kind's table in <see cref="Namespace"/>.</summary>
    public required ActionTable Table { get; init; }

    /// <summary>The classifier the action is created for (goto chain resolves in its block), or null ("tc actions").</summary>
    public Classifier? Classifier { get; init; }

    /// <summary>TCA_ACT_FLAGS_BIND: created by a filter, which binds it.</summary>
    public bool Bind { get; init; }

    /// <summary>TCA_ACT_FLAGS_REPLACE: an existing action at the index may be changed.</summary>
    public bool Replace { get; init; }

    /// <summary>The user flags (TCA_ACT_FLAGS value) to create the action with.</summary>
    public uint UserFlags { get; init; }

    /// <summary>Creation time (ns) for the action's tcf_t.</summary>
    public long NowNs { get; init; }

    /// <summary>
    /// tcf_idr_check_alloc(): the action already at <paramref name="index"/> (a reference and, when binding, a bind
    /// taken), or null with the index (picked when 0) reserved for a new one.
    /// </summary>
    public TcAction? CheckAlloc(ref uint index) => Table.CheckAlloc(ref index, Bind);

    /// <summary>tcf_idr_create(): a new action in the reserved slot, one reference, bound when a filter made it.</summary>
    public T Created<T>(T action) where T : TcAction
    {
        action.Table = Table;
        action.RefCount = 1;
        action.BindCount = Bind ? 1 : 0;
        return action;
    }

    /// <summary>tcf_idr_release(a, bind): drops what <see cref="CheckAlloc"/> or <see cref="Created"/> took.</summary>
    public void Release(TcAction action) => Table.Put(action, Bind);

    /// <summary>
    /// tcf_action_check_ctrlact(): a configurable verdict, and for goto chain a reference to the target chain in
    /// the classifier's block (the caller hands it to <see cref="TcAction.SetControl"/>).
    /// </summary>
    public FilterChain? CheckControl(int control)
    {
        int opcode = TcAct.ExtOpcode(control);
        bool valid = opcode == 0 ? control <= TcAct.ValueMax : opcode <= TcAct.ExtOpcodeMax || control == TcAct.Unspec;
        if (!valid) throw Tc.KernelError.ExtAck("invalid control action");
        if (!TcAct.IsExt(control, TcAct.GotoChain)) return null;
        if (Classifier?.Chain is not { } chain) throw Tc.KernelError.ExtAck("can't goto NULL proto/chain");
        return chain.Block.GetChain((uint)(control & TcAct.ExtValMask), create: true, byAction: true);
    }

    /// <summary>tcf_chain_put_by_act() of a chain reference that was not installed.</summary>
    public static void PutChain(FilterChain? chain) => chain?.Block.PutChain(chain, byAction: true);
}
