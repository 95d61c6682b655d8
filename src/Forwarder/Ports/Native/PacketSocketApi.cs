namespace Forwarder.Ports.Native;

/// <summary>
/// AF_PACKET constants and ring layouts (include/uapi/linux/if_packet.h). Offsets are those of the structs as the
/// kernel lays them out on 64-bit Linux.
/// </summary>
internal static class PacketSocketApi
{
    public const int SOL_PACKET = 263;
    public const ushort ETH_P_ALL = 0x0003;

    public const int PACKET_ADD_MEMBERSHIP = 1;
    public const int PACKET_RX_RING = 5;
    public const int PACKET_STATISTICS = 6;
    public const int PACKET_VERSION = 10;
    public const int PACKET_TX_RING = 13;
    public const int PACKET_QDISC_BYPASS = 20;
    public const int PACKET_IGNORE_OUTGOING = 23;
    public const int PACKET_COPY_THRESH = 7;
    public const int PACKET_MR_PROMISC = 1;

    public const int TPACKET_V2 = 1;
    public const int TPACKET_V3 = 2;

    // tp_status bits.
    public const uint TP_STATUS_KERNEL = 0;
    public const uint TP_STATUS_USER = 1;
    public const uint TP_STATUS_COPY = 1 << 1;
    public const uint TP_STATUS_LOSING = 1 << 2;
    public const uint TP_STATUS_CSUMNOTREADY = 1 << 3;
    public const uint TP_STATUS_VLAN_VALID = 1 << 4;
    public const uint TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    public const uint TP_STATUS_AVAILABLE = 0;
    public const uint TP_STATUS_SEND_REQUEST = 1;
    public const uint TP_STATUS_SENDING = 2;
    public const uint TP_STATUS_WRONG_FORMAT = 4;

    // sll_pkttype.
    public const byte PACKET_HOST = 0, PACKET_BROADCAST = 1, PACKET_MULTICAST = 2, PACKET_OTHERHOST = 3, PACKET_OUTGOING = 4;

    /// <summary>struct tpacket_block_desc: version, offset_to_priv, then tpacket_hdr_v1.</summary>
    public const int BlockStatusOffset = 8;
    public const int BlockNumPacketsOffset = 12;
    public const int BlockFirstPacketOffset = 16;

    /// <summary>struct tpacket3_hdr.</summary>
    public const int V3NextOffset = 0;
    public const int V3SecOffset = 4;
    public const int V3NsecOffset = 8;
    public const int V3SnapLenOffset = 12;
    public const int V3LenOffset = 16;
    public const int V3StatusOffset = 20;
    public const int V3MacOffset = 24;
    public const int V3VlanTciOffset = 32;
    public const int V3VlanTpidOffset = 36;
    /// <summary>TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): where struct sockaddr_ll follows.</summary>
    public const int V3SockaddrOffset = 48;
    /// <summary>sockaddr_ll.sll_pkttype.</summary>
    public const int SockaddrPacketTypeOffset = 10;

    /// <summary>struct tpacket2_hdr.</summary>
    public const int V2StatusOffset = 0;
    public const int V2LenOffset = 4;
    public const int V2SnapLenOffset = 8;
    public const int V2MacOffset = 12;
    public const int V2VlanTciOffset = 24;
    public const int V2VlanTpidOffset = 26;
    /// <summary>TPACKET2_HDRLEN - sizeof(struct sockaddr_ll): where a TX frame's data goes.</summary>
    public const int V2TxDataOffset = 32;
    /// <summary>TPACKET_ALIGN(sizeof(struct tpacket2_hdr)): where struct sockaddr_ll follows in an RX frame.</summary>
    public const int V2SockaddrOffset = 32;
    /// <summary>What an RX frame spends before the MAC header: TPACKET_ALIGN(TPACKET2_HDRLEN + 16) (tpacket_rcv()).</summary>
    public const int V2RxMacRoom = 80;

    public const int SockaddrLlSize = 20;
}
