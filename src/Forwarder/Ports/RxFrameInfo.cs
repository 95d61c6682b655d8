namespace Forwarder.Ports;

/// <summary>What a port learned about a received frame besides its bytes.</summary>
public struct RxFrameInfo
{
    /// <summary>Arrival time, CLOCK_MONOTONIC ns.</summary>
    public long ArrivalNs;
    /// <summary>sll_pkttype (PACKET_HOST ...), or <see cref="UnknownPacketType"/> to derive it from the MAC.</summary>
    public byte PacketType;
    /// <summary>The kernel stripped a VLAN tag into metadata (TP_STATUS_VLAN_VALID).</summary>
    public bool VlanValid;
    public ushort VlanTci;
    /// <summary>The stripped tag's TPID when known, else 0 (then 802.1Q).</summary>
    public ushort VlanTpid;
    public ChecksumState Checksum;
    /// <summary>The kernel's csum_start/csum_offset when known, else -1.</summary>
    public int CsumStart;
    public int CsumOffset;
    /// <summary>The segment size of a GRO/TSO super-frame when known, else 0 (derived from the MTU).</summary>
    public int GsoSize;

    public const byte UnknownPacketType = 0xFF;

    public static RxFrameInfo Plain(long arrivalNs) => new()
    {
        ArrivalNs = arrivalNs,
        PacketType = UnknownPacketType,
        CsumStart = -1,
        CsumOffset = -1,
    };
}
