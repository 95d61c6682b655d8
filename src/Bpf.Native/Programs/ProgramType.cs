using Bpf.Native.Helpers;
using Bpf.Native.Verifier;

namespace Bpf.Native.Programs;

/// <summary>
/// A program type's rules for the verifier, as the kernel's struct bpf_verifier_ops and bpf_prog_type: which helpers
/// the type may call (get_func_proto; the implementations and prototypes come from the <see cref="HelperTable"/>
/// the program is verified against), which context bytes it may read or write and what a load yields
/// (is_valid_access), whether it may use direct packet access and LD_ABS / LD_IND, and what it may return.
/// </summary>
public abstract class ProgramType
{
    /// <summary>BPF_PROG_TYPE_SCHED_CLS: tc classifiers (<c>tc filter ... bpf</c>).</summary>
    public static ProgramType SchedCls { get; } = new SchedClsProgramType();

    /// <summary>BPF_PROG_TYPE_SCHED_ACT: tc actions (<c>action bpf</c>).</summary>
    public static ProgramType SchedAct { get; } = new SchedActProgramType();

    /// <summary>The kernel's name of the type ("sched_cls"), as bpftool prints it.</summary>
    public abstract string Name { get; }

    /// <summary>The type's number in Linux enum bpf_prog_type.</summary>
    public abstract int KernelId { get; }

    /// <summary>Size of the context structure in bytes; accesses beyond it are invalid.</summary>
    public abstract int ContextSizeBytes { get; }

    /// <summary>True when the type may use direct packet access through data / data_end (may_access_direct_pkt_data).</summary>
    public virtual bool AllowsDirectPacketRead => false;

    /// <summary>True when the type may also write the packet through data pointers.</summary>
    public virtual bool AllowsDirectPacketWrite => false;

    /// <summary>True when the type may use the legacy LD_ABS / LD_IND packet loads (may_access_skb).</summary>
    public virtual bool AllowsLegacyPacketLoads => false;

    /// <summary>
    /// The range R0 must be in at the program's exit, or null when any scalar will do (check_return_code's
    /// per-type ranges; tc types have none).
    /// </summary>
    public virtual (long Min, long Max)? ReturnRange => null;

    /// <summary>True when the type may call the helper with Linux id <paramref name="helperId"/> (get_func_proto != NULL).</summary>
    public abstract bool AllowsHelper(int helperId);

    /// <summary>
    /// is_valid_access: true when <paramref name="sizeBytes"/> bytes at <paramref name="offsetBytes"/> of the
    /// context may be accessed this way; <paramref name="result"/> says what a load yields.
    /// </summary>
    public abstract bool IsValidContextAccess(int offsetBytes, int sizeBytes, ContextAccessKind kind, out ContextAccessResult result);

    /// <summary>The helper a call to <paramref name="helperId"/> uses, or null when the type may not call it or the table lacks it.</summary>
    public HelperDefinition? FindHelper(int helperId, HelperTable helpers)
    {
        ArgumentNullException.ThrowIfNull(helpers);
        return AllowsHelper(helperId) && helpers.TryGet(helperId, out var helper) ? helper : null;
    }

    /// <summary>The type for a kernel or bpftool name: sched_cls / classifier, sched_act / action.</summary>
    public static ProgramType? FromName(string name) => name switch
    {
        "sched_cls" or "classifier" => SchedCls,
        "sched_act" or "action" => SchedAct,
        _ => null,
    };

    public override string ToString() => Name;
}
