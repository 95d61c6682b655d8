namespace Forwarder.Cli;

/// <summary>What a run or bridge command asked for.</summary>
/// <param name="Interfaces">Two interfaces: in and out for run, the two sides for bridge.</param>
/// <param name="Name">The instance name: its control socket is /run/forwarder/NAME.sock.</param>
/// <param name="TcBatch">A tc batch file applied before traffic flows (--tc FILE), or null.</param>
/// <param name="RxBlocks">mmap io receives through TPACKET_V3 blocks instead of V2 frames (--rx-ring blocks).</param>
internal sealed record ForwardingRequest(
    IReadOnlyList<string> Interfaces, bool Bridge, IoBackend Io, double StatsIntervalSeconds, int PoolPackets,
    string Name = Control.ControlSocket.DefaultName, string? TcBatch = null,
    int Nice = -5, bool RxBlocks = false);
