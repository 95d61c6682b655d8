namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// struct tc_netem_rate (TCA_NETEM_RATE): the rate in bytes per second (~0 when the true rate, 2^32 or more, is in
/// TCA_NETEM_RATE64), an overhead added to every packet, and an optional cell size with a per-cell overhead.
/// </summary>
public sealed record NetemRateSpec(uint Rate, int PacketOverhead, uint CellSize, int CellOverhead);
