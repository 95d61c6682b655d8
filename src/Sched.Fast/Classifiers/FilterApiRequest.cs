namespace Sched.Fast.Classifiers;

/// <summary>
/// A filter or chain request as tc sends it (struct tcmsg + attributes): device, parent, pref and protocol
/// (tcm_info), handle, TCA_KIND, TCA_CHAIN and TCA_OPTIONS, with the netlink create/exclusive flags.
/// </summary>
public sealed record FilterApiRequest
{
    public int IfIndex { get; init; }

    /// <summary>tcm_block_index, when <see cref="IfIndex"/> is TCM_IFINDEX_MAGIC_BLOCK ("block N").</summary>
    public uint BlockIndex { get; init; }
    public uint Parent { get; init; }

    /// <summary>The pref (0: let the kernel pick one on create).</summary>
    public uint Prio { get; init; }

    /// <summary>The protocol (0: any / unspecified).</summary>
    public ushort Protocol { get; init; }

    /// <summary>tcm_handle.</summary>
    public uint Handle { get; init; }

    /// <summary>TCA_KIND, or null.</summary>
    public string? Kind { get; init; }

    /// <summary>TCA_CHAIN, or null.</summary>
    public uint? Chain { get; init; }

    /// <summary>TCA_OPTIONS, or null.</summary>
    public FilterSpec? Options { get; init; }

    /// <summary>NLM_F_CREATE.</summary>
    public bool Create { get; init; }

    /// <summary>NLM_F_EXCL.</summary>
    public bool Exclusive { get; init; }
}
