using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Time;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Forwarder.Ports;

/// <summary>
/// A port over capture files: receives the frames of a pcap or pcapng file (read by libpcap through SharpPcap,
/// arrival time = the file's timestamp) and writes what it sends to a pcap file with nanosecond timestamps (the
/// departure time, shifted by <see cref="TimestampOffsetNs"/> from the datapath clock to the file's epoch). Either
/// side may be absent. The offline mode replays a capture through a tc configuration with it.
/// </summary>
public sealed unsafe class PcapFilePort : IPort
{
    private readonly CaptureFileReaderDevice? _reader;
    private readonly PcapFileWriter? _writer;
    private readonly RxFrameImporter _importer;

    public PcapFilePort(string name, int ifIndex, PacketPool pool, string? readPath, string? writePath, int mtu = 1500)
    {
        Name = name;
        Device = new NetDevice(name, ifIndex, mtu);
        _importer = new RxFrameImporter(pool, Device, Stats, []);
        if (readPath is not null)
        {
            if (!File.Exists(readPath)) throw new PortException($"no such capture file: {readPath}");
            _reader = new CaptureFileReaderDevice(readPath);
            try
            {
                _reader.Open(new DeviceConfiguration { TimestampResolution = TimestampResolution.Nanosecond });
            }
            catch (PcapException e)
            {
                throw new PortException($"cannot read {readPath}: {e.Message}");
            }
        }
        else
        {
            EndOfInput = true;
        }
        if (writePath is not null) _writer = PcapFileWriter.Create(writePath);
        // Live clock to wall clock by default; the offline mode sets 0 and runs the clock on file time.
        TimestampOffsetNs = DateTime.UtcNow.Ticks * 100 - DateTime.UnixEpoch.Ticks * 100 - SystemClock.NowNs();
    }

    public string Name { get; }
    public NetDevice Device { get; }
    public PortStats Stats { get; } = new();
    public PortStatus Status => PortStatus.Up;
    public PacketPool Pool => _importer.Pool;
    public int TxReadinessFd => -1;
    public bool CanReceive => _reader is not null;
    public int ReadinessFd => -1;

    /// <summary>Added to the datapath clock to stamp written frames.</summary>
    public long TimestampOffsetNs { get; set; }

    /// <summary>The input file has been read to its end (or there is none).</summary>
    public bool EndOfInput { get; private set; }

    public int Receive(Span<Packet> burst, TimeNs now)
    {
        if (_reader is null || EndOfInput) return 0;
        int n = 0;
        nint header = 0, data = 0;
        while (n < burst.Length)
        {
            int r = _reader.GetNextPacketPointers(ref header, ref data);
            if (r != 1)
            {
                EndOfInput = true;
                break;
            }
            long sec = *(long*)header;
            long frac = *(long*)(header + 8);
            uint caplen = *(uint*)(header + 16);
            RxFrameInfo info = RxFrameInfo.Plain(sec * 1_000_000_000 + frac);
            int produced = _importer.Import(new Span<byte>((void*)data, (int)caplen), in info, burst[n..]);
            if (produced < 0)
            {
                Stats.RxDropped++;
                continue;
            }
            n += produced;
        }
        return n;
    }

    public int TxSpace(int max) => max;

    public int Send(ReadOnlySpan<Packet> packets, TimeNs now)
    {
        foreach (Packet p in packets)
        {
            if (_writer is not null)
            {
                if (p.Meta.VlanPresent == 0)
                {
                    _writer.Write(p.Data, now.Value + TimestampOffsetNs);
                }
                else
                {
                    byte[] tagged = new byte[TxFrameWriter.WireLength(p)];
                    TxFrameWriter.Write(p, tagged);
                    _writer.Write(tagged, now.Value + TimestampOffsetNs);
                }
            }
            Stats.TxPackets++;
            Stats.TxBytes += TxFrameWriter.WireLength(p);
            p.Free();
        }
        return packets.Length;
    }

    public void Flush() => _writer?.Flush();

    public PortStatus RefreshStatus() => Status;

    public void Dispose()
    {
        _reader?.Close();
        _writer?.Dispose();
    }

    public override string ToString() => $"{Name} (pcap file)";
}
