namespace Bpf.Native.Programs;

/// <summary>
/// BPF_PROG_TYPE_SCHED_ACT, the tc action: the same verifier rules as SCHED_CLS (the kernel gives both
/// tc_cls_act_verifier_ops), another type id and name.
/// </summary>
public sealed class SchedActProgramType : SchedClsProgramType
{
    internal SchedActProgramType()
    {
    }

    public override string Name => "sched_act";

    /// <summary>BPF_PROG_TYPE_SCHED_ACT.</summary>
    public override int KernelId => 4;
}
