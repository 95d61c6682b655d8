namespace Sched.Fast.Tests.Packets.Wire;

/// <summary>
/// Literal frames captured with tcpdump -xx on a veth pair between two namespaces (198.18.5.1 02:00:00:00:00:0a and
/// 198.18.5.2 02:00:00:00:00:0b, 2001:db8::1 and ::2, transmit checksum offload off so the kernel filled every
/// checksum). The kernel is the oracle for every field and checksum below.
/// </summary>
internal static class WireFrames
{
    public static byte[] Hex(string hex)
    {
        string clean = string.Concat(hex.Where(Uri.IsHexDigit));
        return Convert.FromHexString(clean);
    }

    /// <summary>ARP request: who-has 198.18.5.2 tell 198.18.5.1.</summary>
    public static byte[] ArpRequest => Hex(
        "ffff ffff ffff 0200 0000 000a 0806 0001 0800 0604 0001 0200 0000 000a c612 0501 0000 0000 0000 c612 0502");

    /// <summary>UDP 198.18.5.1.44618 > 198.18.5.2.9 "hello", DF, id 0xb3f5.</summary>
    public static byte[] UdpHello => Hex(
        "0200 0000 000b 0200 0000 000a 0800 4500 0021 b3f5 4000 4011 f0ae c612 0501 c612" +
        "0502 ae4a 0009 000d 7786 6865 6c6c 6f");

    /// <summary>ICMP echo request id 18138 seq 1, 8 bytes of data 00..07.</summary>
    public static byte[] IcmpEchoRequest => Hex(
        "0200 0000 000b 0200 0000 000a 0800 4500 0024 5b82 4000 4001 492f c612 0501 c612" +
        "0502 0800 a514 46da 0001 0001 0203 0405 0607");

    /// <summary>ICMP echo request with the record-route option (ping -R): IHL 15, NOP then RR.</summary>
    public static byte[] IcmpEchoRecordRoute => Hex(
        "0200 0000 000b 0200 0000 000a 0800 4f00 004c 5b83 4000 4001 4be3 c612 0501 c612" +
        "0502 0107 2708 c612 0501 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000" +
        "0000 0000 0000 0000 0000 0000 0000 0800 a512 46dc 0001 0001 0203 0405 0607");

    /// <summary>TCP SYN 198.18.5.1.59832 > 198.18.5.2.7 with mss, sackOK, timestamps, nop, wscale options.</summary>
    public static byte[] TcpSyn => Hex(
        "0200 0000 000b 0200 0000 000a 0800 4500 003c dd12 4000 4006 c781 c612 0501 c612" +
        "0502 e9b8 0007 b67c 2c69 0000 0000 a002 faf0 1493 0000 0204 05b4 0402 080a 4fa5" +
        "8606 0000 0000 0103 030a");

    /// <summary>TCP RST+ACK reply, ack 3061591146.</summary>
    public static byte[] TcpRstAck => Hex(
        "0200 0000 000a 0200 0000 000b 0800 4500 0028 0000 4000 4006 a4a8 c612 0502 c612" +
        "0501 0007 e9b8 0000 0000 b67c 2c6a 5014 0000 4d02 0000");

    /// <summary>ICMPv6 echo request 2001:db8::1 > ::2, flow label 0xa7d09, id 18139 seq 1.</summary>
    public static byte[] Icmpv6EchoRequest => Hex(
        "0200 0000 000b 0200 0000 000a 86dd 600a 7d09 0010 3a40 2001 0db8 0000 0000 0000" +
        "0000 0000 0001 2001 0db8 0000 0000 0000 0000 0000 0002 8000 d153 46db 0001 0001" +
        "0203 0405 0607");

    /// <summary>MLDv2 report: IPv6 with a hop-by-hop options header (router alert) before ICMPv6 type 143.</summary>
    public static byte[] MldReportWithHopByHop => Hex(
        "3333 0000 0016 0200 0000 000b 86dd 6000 0000 0038 0001 fe80 0000 0000 0000 a07e" +
        "0fff fec8 32ae ff02 0000 0000 0000 0000 0000 0000 0016 3a00 0502 0000 0100 8f00" +
        "5982 0000 0002 0400 0000 ff02 0000 0000 0000 0000 0001 ff00 0002 0400 0000 ff02" +
        "0000 0000 0000 0000 0001 ffc8 32ae");
}
