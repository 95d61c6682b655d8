using Sched.Fast.Packets;

namespace Sched.Fast.Classifiers;

/// <summary>
/// One classifier instance at one priority of a chain (the kernel's <c>struct tcf_proto</c>): a kind (u32, bpf,
/// matchall, ...) matching one protocol, holding that kind's filters (a u32 tcf_proto holds many knodes).
/// </summary>
public abstract class Classifier
{
    protected Classifier(uint prio, ushort protocol)
    {
        Prio = prio;
        Protocol = protocol;
    }

    public abstract string Kind { get; }

    /// <summary>tp->prio (tc's "pref"/"prio"): lower runs first.</summary>
    public uint Prio { get; }

    /// <summary>tp->protocol: the EtherType matched (host order), or <see cref="EtherTypes.All"/>.</summary>
    public ushort Protocol { get; }

    /// <summary>The chain this classifier belongs to (set when it is inserted).</summary>
    public FilterChain? Chain { get; internal set; }

    /// <summary>
    /// tp->classify: a TC_ACT_* code when a filter matched (filling <paramref name="result"/>), or
    /// <see cref="Actions.TcAct.Unspec"/> (-1) when none did.
    /// </summary>
    public abstract int Classify(Packet packet, ref ClassifyResult result);

    /// <summary>Releases what the classifier holds (actions, bound classes, programs) when it is deleted.</summary>
    public virtual void Destroy() { }
}
