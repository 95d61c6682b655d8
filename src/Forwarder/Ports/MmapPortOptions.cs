namespace Forwarder.Ports;

/// <summary>Ring geometry of an <see cref="MmapPort"/>.</summary>
public sealed record MmapPortOptions
{
    /// <summary>
    /// Receive through a TPACKET_V3 ring of blocks instead of the default TPACKET_V2 ring of frames. A V3 block is
    /// handed over only when full or when its timer retires it, and that timer runs in jiffies (4 ms at HZ=250
    /// whatever RxBlockTimeoutMs asks), so a shaped queue would see a block's arrivals only after the dequeues of
    /// that interval: the slots they freed go to the block's first frames, not to the first frames after each
    /// dequeue as in the kernel (a ping's chance behind a full pfifo then depends on its phase in the block). V2
    /// hands over each frame as it lands. Kept for comparing the forwarding cost.
    /// </summary>
    public bool RxBlockRing { get; init; }
    /// <summary>TPACKET_V2 RX frames (32 MB of 2 KB frames at MTU 1500; larger frames arrive through the socket).</summary>
    public int RxFrameCount { get; init; } = 16384;
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
