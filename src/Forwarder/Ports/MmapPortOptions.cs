namespace Forwarder.Ports;

/// <summary>Ring geometry of an <see cref="MmapPort"/>.</summary>
public sealed record MmapPortOptions
{
    /// <summary>
    /// TPACKET_V3 RX block size: a block is handed over when full or when it times out (every
    /// <see cref="RxBlockTimeoutMs"/> at low rates), so the ring buffers RxBlockCount timeouts of traffic however
    /// small the frames. 256 KB holds 1 ms of 64-byte frames up to ~2 Mpps and a 64 KB GRO super-frame.
    /// </summary>
    public int RxBlockBytes { get; init; } = 256 << 10;
    /// <summary>128 blocks: 32 MB, and 128 ms of buffering while the datapath thread is not scheduled.</summary>
    public int RxBlockCount { get; init; } = 128;
    /// <summary>tp_retire_blk_tov: how long the kernel keeps a partly filled block, in ms (bounds added latency).</summary>
    public int RxBlockTimeoutMs { get; init; } = 1;
    /// <summary>TX frames in the ring (PACKET_TX_RING, TPACKET_V2).</summary>
    public int TxFrameCount { get; init; } = 1024;
    /// <summary>Put the interface in promiscuous mode (a bridge must see frames addressed to others).</summary>
    public bool Promiscuous { get; init; } = true;
}
