using System.Buffers.Binary;
using Forwarder.Ports;
using Forwarder.Tests.Support;
using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Forwarder.Tests.Ports;

public sealed class PcapFilePortTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fnd-pcapfile-").FullName;
    private readonly PacketPool _pool = new(64);

    public void Dispose()
    {
        _pool.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Writes_a_nanosecond_pcap_that_reads_back_with_frames_and_timestamps()
    {
        string path = Path.Combine(_dir, "out.pcap");
        byte[] a = Frames.Udp(60, srcPort: 1), b = Frames.Udp(120, srcPort: 2);
        using (var writer = new PcapFileWriter(File.Create(path)))
        {
            writer.Write(a, 1_700_000_000_123_456_789);
            writer.Write(b, 1_700_000_001_000_000_001);
        }
        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(PcapFileWriter.MagicNanoseconds, BinaryPrimitives.ReadUInt32LittleEndian(file));
        Assert.Equal(24 + 16 + 60 + 16 + 120, file.Length);

        using var port = new PcapFilePort("file0", 5, _pool, path, writePath: null);
        var burst = new Packet[8];
        int n = port.Receive(burst, TimeNs.Zero);
        Assert.Equal(2, n);
        Assert.Equal(a, burst[0].Data.ToArray());
        Assert.Equal(b, burst[1].Data.ToArray());
        Assert.Equal(1_700_000_000_123_456_789, burst[0].Meta.ArrivalNs);
        Assert.Equal(1_700_000_001_000_000_001, burst[1].Meta.ArrivalNs);
        Assert.Equal(5, burst[0].Meta.IngressIfIndex);
        Assert.Equal(0, port.Receive(burst.AsSpan(2), TimeNs.Zero));
        Assert.True(port.EndOfInput);
        burst[0].Free();
        burst[1].Free();
    }

    [Fact]
    public void Sending_stamps_frames_with_the_departure_time_and_restores_vlan_tags()
    {
        string path = Path.Combine(_dir, "sent.pcap");
        using (var port = new PcapFilePort("file0", 5, _pool, readPath: null, writePath: path) { TimestampOffsetNs = 0 })
        {
            Packet p = _pool.Rent()!;
            p.Load(Frames.Udp(100));
            p.Meta.VlanPresent = 1;
            p.Meta.VlanProto = 0x8100;
            p.Meta.VlanTci = 7;
            Assert.Equal(1, port.Send([p], new TimeNs(2_000_000_005)));
            port.Flush();
        }
        using var reader = new PcapFilePort("file1", 6, _pool, path, writePath: null);
        var burst = new Packet[2];
        Assert.Equal(1, reader.Receive(burst, TimeNs.Zero));
        Assert.Equal(2_000_000_005, burst[0].Meta.ArrivalNs);
        // Read back, the tag is popped into metadata again: the frame bytes on file carried it.
        Assert.Equal(7, burst[0].Meta.VlanTci);
        Assert.Equal(Frames.Udp(100), burst[0].Data.ToArray());
        burst[0].Free();
    }

    [Fact]
    public void Reads_pcapng()
    {
        string path = Path.Combine(_dir, "in.pcapng");
        byte[] frame = Frames.Udp(64);
        File.WriteAllBytes(path, PcapNg(frame, timestampNs: 1_600_000_000_000_000_500));
        using var port = new PcapFilePort("file0", 5, _pool, path, writePath: null);
        var burst = new Packet[2];
        Assert.Equal(1, port.Receive(burst, TimeNs.Zero));
        Assert.Equal(frame, burst[0].Data.ToArray());
        Assert.Equal(1_600_000_000_000_000_500, burst[0].Meta.ArrivalNs);
        burst[0].Free();
    }

    [Fact]
    public void A_missing_file_is_named() =>
        Assert.Contains("no such capture file", Assert.Throws<PortException>(() =>
            new PcapFilePort("file0", 5, _pool, Path.Combine(_dir, "nope.pcap"), null)).Message);

    /// <summary>A minimal pcapng: section header, an Ethernet interface with if_tsresol 9 (ns), one enhanced packet block.</summary>
    private static byte[] PcapNg(byte[] frame, long timestampNs)
    {
        var s = new MemoryStream();
        void U32(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); s.Write(b); }
        void U16(ushort v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); s.Write(b); }
        // Section header block.
        U32(0x0A0D0D0A); U32(28); U32(0x1A2B3C4D); U16(1); U16(0); U32(0xFFFFFFFF); U32(0xFFFFFFFF); U32(28);
        // Interface description block with option if_tsresol (9) = 9, then opt_endofopt.
        U32(1); U32(32); U16(1); U16(0); U32(65535); U16(9); U16(1); s.WriteByte(9); s.Write(new byte[3]); U16(0); U16(0); U32(32);
        // Enhanced packet block.
        int padded = (frame.Length + 3) & ~3;
        uint total = (uint)(32 + padded);
        U32(6); U32(total); U32(0); U32((uint)((ulong)timestampNs >> 32)); U32((uint)timestampNs);
        U32((uint)frame.Length); U32((uint)frame.Length); s.Write(frame); s.Write(new byte[padded - frame.Length]); U32(total);
        return s.ToArray();
    }
}
