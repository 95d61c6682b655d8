using Sched.Fast.Packets;

namespace Sched.Fast.Classifiers;

/// <summary>
/// One classifier instance at one priority of a chain (the kernel's <c>struct tcf_proto</c>): a kind (u32, bpf,
/// matchall, ...) matching one protocol, holding that kind's filters (a u32 tcf_proto holds many knodes).
/// <para>
/// The control-path operations mirror <c>struct tcf_proto_ops</c>: <see cref="Get"/>, <see cref="Change"/>,
/// <see cref="Delete"/>, <see cref="Walk"/>, <see cref="Dump"/>, <see cref="BindClass"/>. Kinds built only for the
/// data path (test doubles) may leave them as they are: they report "operation not supported".
/// </para>
/// </summary>
public abstract class Classifier
{
    protected Classifier(uint prio, ushort protocol)
    {
        Prio = prio;
        Protocol = protocol;
    }

    public abstract string Kind { get; }

    /// <summary>tp->prio (tc's "pref"/"prio", 1..65535): lower runs first.</summary>
    public uint Prio { get; }

    /// <summary>tp->protocol: the EtherType matched (host order), or <see cref="EtherTypes.All"/>.</summary>
    public ushort Protocol { get; }

    /// <summary>The chain this classifier belongs to (set when it is inserted).</summary>
    public FilterChain? Chain { get; internal set; }

    /// <summary>The namespace (devices, action tables) the classifier was created in, when created by command.</summary>
    public FilterNamespace? Namespace { get; internal set; }

    /// <summary>
    /// tp->classify: a TC_ACT_* code when a filter matched (filling <paramref name="result"/>), or
    /// <see cref="Actions.TcAct.Unspec"/> (-1) when none did.
    /// </summary>
    public abstract int Classify(Packet packet, ref ClassifyResult result);

    /// <summary>Releases what the classifier holds (actions, bound classes, programs) when it is deleted.</summary>
    public virtual void Destroy() { }

    /// <summary>ops->get: the filter with <paramref name="handle"/>, or null.</summary>
    public virtual FilterNode? Get(uint handle) => null;

    /// <summary>
    /// ops->change: creates a filter or changes <see cref="FilterChange.Existing"/>, validating everything before
    /// changing anything. Returns the filter that now has the handle. Errors are kernel errors
    /// (<see cref="Tc.KernelError"/>).
    /// </summary>
    public virtual FilterNode Change(FilterChange change) => throw Tc.KernelError.Errno(Tc.Errno.EOPNOTSUPP);

    /// <summary>ops->delete: removes <paramref name="node"/>; <paramref name="last"/> says the classifier is now empty.</summary>
    public virtual void Delete(FilterNode node, out bool last) => throw Tc.KernelError.Errno(Tc.Errno.EOPNOTSUPP);

    /// <summary>ops->walk: every filter in dump order.</summary>
    public virtual IEnumerable<FilterNode> Walk() => [];

    /// <summary>ops->dump: the handle tc prints and the options (null: no TCA_OPTIONS).</summary>
    public virtual FilterDump Dump(FilterNode node) => new(node.Handle, null);

    /// <summary>
    /// ops->bind_class (tc_cls_bind_class()): a class with <paramref name="classId"/> was created (cl set) or deleted
    /// (cl null); filters whose result names it rebind.
    /// </summary>
    public virtual void BindClass(uint classId, object? cl) { }
}
