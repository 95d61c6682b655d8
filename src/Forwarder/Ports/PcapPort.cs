using Forwarder.Ports.Native;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Time;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Forwarder.Ports;

/// <summary>
/// The portable port: libpcap through SharpPcap. Receiving uses pcap_next_ex on the raw handle (no managed copy, no
/// SafeHandle marshalling) in non-blocking immediate mode, so nothing is allocated per packet. Sending batches: what
/// one datapath iteration sends leaves in one sendmmsg(2) on pcap's own descriptor, gathered from the packets' memory.
/// pcap_inject() is a send(2) on that descriptor, so each frame meets the kernel as it would through libpcap, with
/// one system call per burst instead of one per frame. libpcap cannot report partial checksums, so they are recognised by
/// value (<see cref="ChecksumState.Unknown"/>); it re-inserts stripped VLAN tags itself, and direction "in" hides
/// our own transmissions.
/// </summary>
public sealed unsafe class PcapPort : IPort
{
    /// <summary>Frames one sendmmsg carries at most (a datapath burst).</summary>
    internal const int TxBatchFrames = 64;

    private readonly LibPcapLiveDevice _device;
    private readonly RxFrameImporter _importer;
    private readonly nint _handle;
    private readonly int _fd;
    private readonly PacketSendBatch _txBatch = new(TxBatchFrames);

    private PcapPort(string name, NetDevice netDevice, LibPcapLiveDevice device, PacketPool pool, byte[] mac)
    {
        Name = name;
        Device = netDevice;
        _device = device;
        _importer = new RxFrameImporter(pool, netDevice, Stats, mac);
        _handle = device.Handle.DangerousGetHandle();
        _fd = LibPcap.pcap_fileno(_handle);
        ReadinessFd = LibPcap.pcap_get_selectable_fd(_handle);
    }

    public string Name { get; }
    public NetDevice Device { get; }
    public PortStats Stats { get; } = new();
    public PortStatus Status { get; private set; } = PortStatus.Up;
    public PacketPool Pool => _importer.Pool;
    public int TxReadinessFd => -1;
    public bool CanReceive => true;
    public int ReadinessFd { get; }

    public static PcapPort Open(string name, PacketPool pool, int ifIndexInTable = 0, bool promiscuous = true)
    {
        PortOpener.CheckInterface(name);
        NetInterface.TryGetIndex(name, out int ifIndex);
        LibPcapLiveDevice device;
        try
        {
            device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == name)
                ?? throw new PortException($"no such interface: {name} (libpcap does not list it)");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            throw new PortException("libpcap is not installed: `apt-get install libpcap0.8` (or use --io mmap)");
        }
        var config = new DeviceConfiguration
        {
            Mode = promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
            Snaplen = 65535,
            Immediate = true,
            BufferSize = 64 << 20,
            ReadTimeout = 1,
        };
        try
        {
            device.Open(config);
        }
        catch (PcapException e)
        {
            if (e.Message.Contains("ermission", StringComparison.Ordinal) || e.Message.Contains("not permitted", StringComparison.Ordinal))
                throw PortOpener.MissingCapability(name, "a pcap capture");
            throw new PortException($"libpcap could not open {name}: {e.Message}");
        }
        device.NonBlockingMode = true;
        var netDevice = new NetDevice(name, ifIndexInTable > 0 ? ifIndexInTable : ifIndex,
            NetInterface.GetMtu(name), NetInterface.GetTxQueueLength(name));
        var port = new PcapPort(name, netDevice, device, pool, NetInterface.GetMac(name));
        LibPcap.pcap_setdirection(port._handle, LibPcap.PCAP_D_IN);
        return port;
    }

    public int Receive(Span<Packet> burst, TimeNs now)
    {
        int n = 0;
        nint header = 0, data = 0;
        while (n < burst.Length && Status == PortStatus.Up)
        {
            // The handle lives as long as the port: Dispose closes it only after the datapath thread has stopped.
            int r = LibPcap.pcap_next_ex(_handle, &header, &data);
            if (r != 1)
            {
                if (r < 0) RefreshStatus();
                break;
            }
            // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; } on 64-bit Linux.
            uint caplen = *(uint*)(header + 16);
            uint len = *(uint*)(header + 20);
            if (caplen < len)
            {
                Stats.RxFrames++;
                Stats.RxDropped++;
                continue;
            }
            RxFrameInfo info = RxFrameInfo.Plain(now.Value);
            info.Checksum = ChecksumState.Unknown;
            int produced = _importer.Import(new Span<byte>((void*)data, (int)caplen), in info, burst[n..]);
            if (produced < 0)
            {
                // libpcap cannot un-read a frame: give the super-frame the room it needs next time by dropping it now.
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
        int mtu = Device.Mtu;
        foreach (Packet p in packets)
        {
            if (Status != PortStatus.Up || !TxFrameWriter.FitsMtu(p, mtu))
            {
                Stats.TxDropped++;
                p.Free();
                continue;
            }
            if (_txBatch.IsFull) _txBatch.Send(_fd, Stats);
            _txBatch.Add(p);
        }
        return packets.Length;
    }

    /// <summary>One sendmmsg for what this datapath iteration sent (the kernel's xmit_more, for a packet socket).</summary>
    public void Flush()
    {
        if (_txBatch.Count > 0) _txBatch.Send(_fd, Stats);
    }

    public PortStatus RefreshStatus()
    {
        int? flags = NetInterface.GetFlags(Name);
        if (flags is null) Status = PortStatus.Removed;
        else if (Status != PortStatus.Removed)
            Status = (flags.Value & NetInterface.IFF_UP) != 0 && (flags.Value & NetInterface.IFF_RUNNING) != 0
                ? PortStatus.Up : PortStatus.Down;
        // The ring's drops (a full ring: PACKET_STATISTICS tp_drops); pcap_stats fails once the interface is gone.
        LibPcap.Stat s;
        if (LibPcap.pcap_stats(_handle, &s) == 0)
        {
            uint delta = unchecked(s.Dropped - _kernelDropsSeen); // libpcap sums in a u_int
            _kernelDropsSeen = s.Dropped;
            if (delta > 0)
            {
                Interlocked.Add(ref Stats.RxKernelDrops, delta);
                Interlocked.Add(ref Stats.RxDropped, delta);
            }
        }
        return Status;
    }

    private uint _kernelDropsSeen;

    public void Dispose()
    {
        _txBatch.Dispose();
        try { _device.Close(); } catch (PcapException) { }
    }

    public override string ToString() => $"{Name} (pcap)";
}
