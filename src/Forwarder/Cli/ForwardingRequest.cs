namespace Forwarder.Cli;

/// <summary>What a run or bridge command asked for.</summary>
/// <param name="Interfaces">Two interfaces: in and out for run, the two sides for bridge.</param>
internal sealed record ForwardingRequest(
    IReadOnlyList<string> Interfaces, bool Bridge, IoBackend Io, double StatsIntervalSeconds, int PoolPackets,
    int Nice = -5);
