namespace Sched.Fast.Classifiers;

/// <summary>
/// What "tc filter show" was asked for (tc_filter.c's filter_ifindex, filter_parent, filter_prio,
/// filter_protocol, filter_chain_index): fields equal to these are left out of each printed line.
/// </summary>
public sealed record FilterShowFilter
{
    public static readonly FilterShowFilter None = new();

    public int IfIndex { get; init; }
    public uint BlockIndex { get; init; }
    public uint Parent { get; init; }
    public uint Prio { get; init; }
    public ushort Protocol { get; init; }
    public uint? Chain { get; init; }
}
