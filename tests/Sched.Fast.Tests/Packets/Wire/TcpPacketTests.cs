using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Tests.Packets.Wire;

public sealed class TcpPacketTests
{
    [Fact]
    public void Reads_a_captured_syn_with_options()
    {
        byte[] frame = WireFrames.TcpSyn;
        Ipv4Packet ip = Ipv4Packet.CreateUnchecked(frame.AsSpan(14));
        Assert.True(TcpPacket.TryCreate(ip.Payload, out TcpPacket tcp));
        Assert.Equal(59832, tcp.SourcePort);
        Assert.Equal(7, tcp.DestinationPort);
        Assert.Equal(3061591145u, tcp.SequenceNumber);
        Assert.Equal(0u, tcp.AcknowledgmentNumber);
        Assert.Equal(40, tcp.HeaderLength);
        Assert.True(tcp.Syn);
        Assert.False(tcp.Ack);
        Assert.Equal(64240, tcp.Window);
        Assert.Equal(20, tcp.Options.Length);
        Assert.Equal(WireFrames.Hex("0204 05b4"), tcp.Options[..4].ToArray()); // MSS 1460
        Assert.Equal(0, tcp.Payload.Length);
        Assert.True(tcp.VerifyChecksum(ip.PseudoHeaderSum(ip.Payload.Length)));
    }

    [Fact]
    public void Building_the_rst_from_fields_reproduces_the_capture()
    {
        byte[] captured = WireFrames.TcpRstAck;
        byte[] frame = (byte[])captured.Clone();
        frame.AsSpan(34).Clear();
        Ipv4Packet ip = Ipv4Packet.CreateUnchecked(frame.AsSpan(14));
        TcpPacket tcp = TcpPacket.CreateUnchecked(ip.Payload);
        tcp.SourcePort = 7;
        tcp.DestinationPort = 59832;
        tcp.AcknowledgmentNumber = 3061591146;
        tcp.HeaderLength = 20;
        tcp.Flags = TcpPacket.FlagRst | TcpPacket.FlagAck;
        tcp.FillChecksum(ip.PseudoHeaderSum(20));
        Assert.Equal(captured, frame);
    }

    [Fact]
    public void Rejects_a_data_offset_below_five_words_or_past_the_buffer()
    {
        byte[] tcp = WireFrames.TcpSyn.AsSpan(34).ToArray();
        Assert.False(TcpPacket.CheckLength(tcp.AsSpan(0, 39)));
        tcp[12] = 0x40;
        Assert.False(TcpPacket.CheckLength(tcp));
    }
}
