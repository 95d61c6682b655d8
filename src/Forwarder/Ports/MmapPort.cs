using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using Forwarder.Ports.Native;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Time;
using static Forwarder.Ports.Native.PacketSocketApi;

namespace Forwarder.Ports;

/// <summary>
/// The fast Linux port: AF_PACKET with a TPACKET_V2 RX ring (each frame handed over as it lands; frames larger than
/// a ring frame, GRO/GSO super-frames, come through the socket's queue: PACKET_COPY_THRESH) or, as an option, a
/// TPACKET_V3 RX ring (blocks handed over in bulk, see <see cref="MmapPortOptions.RxBlockRing"/>), and a TPACKET_V2
/// TX ring with PACKET_QDISC_BYPASS (frames go straight to the driver, one send() per burst). Frames are copied
/// from the RX ring into pool slots, because qdiscs hold packets for a long time and ring frames must go back.
/// Our own transmissions never show up on RX (PACKET_IGNORE_OUTGOING, and PACKET_OUTGOING frames are skipped for
/// kernels without it). A link going down or the interface disappearing is reported through <see cref="Status"/>.
/// </summary>
public sealed unsafe class MmapPort : IPort
{
    private readonly MmapPortOptions _options;
    private readonly RxFrameImporter _importer;
    private int _rxFd = -1;
    private int _txFd = -1;
    private byte* _rxRing;
    private nuint _rxRingBytes;
    private byte* _txRing;
    private nuint _txRingBytes;
    private readonly int _txFrameBytes;
    private readonly int _txFrameCount;
    private int _txIndex;
    private bool _txPending;

    // TPACKET_V2 RX: the next frame to look at, and where frames too large for the ring are read to.
    private int _rxFrameBytes;
    private int _rxFrameCount;
    private int _rxIndex;
    private byte* _copyBuffer;
    private const int CopyBufferBytes = 256 << 10;

    // TPACKET_V3 RX: position inside the block being consumed.
    private int _rxBlock;
    private bool _inBlock;
    private int _rxLeftInBlock;
    private byte* _rxNext;

    private MmapPort(string name, NetDevice device, PacketPool pool, MmapPortOptions options, byte[] mac)
    {
        Name = name;
        Device = device;
        _options = options;
        _importer = new RxFrameImporter(pool, device, Stats, mac);
        int need = V2TxDataOffset + device.Mtu + 14 + 8;
        _txFrameBytes = 2048;
        while (_txFrameBytes < need) _txFrameBytes *= 2;
        _txFrameCount = options.TxFrameCount;
    }

    public string Name { get; }
    public NetDevice Device { get; }
    public PortStats Stats { get; } = new();
    public PortStatus Status { get; private set; } = PortStatus.Up;
    public PacketPool Pool => _importer.Pool;
    public int TxReadinessFd => _txFd;
    public bool CanReceive => _rxFd >= 0;
    public int ReadinessFd => _rxFd;

    /// <summary>Opens <paramref name="name"/> (which must exist and be up) with packets rented from <paramref name="pool"/>.</summary>
    public static MmapPort Open(string name, PacketPool pool, int ifIndexInTable = 0, MmapPortOptions? options = null,
        bool receive = true)
    {
        PortOpener.CheckInterface(name);
        NetInterface.TryGetIndex(name, out int ifIndex);
        var device = new NetDevice(name, ifIndexInTable > 0 ? ifIndexInTable : ifIndex,
            NetInterface.GetMtu(name), NetInterface.GetTxQueueLength(name));
        var port = new MmapPort(name, device, pool, options ?? new MmapPortOptions(), NetInterface.GetMac(name));
        try
        {
            if (receive) port.OpenRx(ifIndex);
            port.OpenTx(ifIndex);
            return port;
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    private void OpenRx(int ifIndex)
    {
        // Protocol 0 until the ring is ready: the socket sees no traffic before bind().
        _rxFd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0);
        if (_rxFd < 0) ThrowSocketError("an AF_PACKET socket");
        if (_options.RxBlockRing) OpenRxBlocks();
        else OpenRxFrames();
        // Linux >= 4.20: our own transmissions are not looped back to this socket.
        int one = 1;
        LibC.setsockopt(_rxFd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(int));
        Bind(_rxFd, ifIndex, ETH_P_ALL);
        if (_options.Promiscuous)
        {
            // struct packet_mreq { int mr_ifindex; unsigned short mr_type, mr_alen; unsigned char mr_address[8]; }
            byte* mreq = stackalloc byte[16];
            new Span<byte>(mreq, 16).Clear();
            *(int*)mreq = ifIndex;
            *(ushort*)(mreq + 4) = PACKET_MR_PROMISC;
            LibC.setsockopt(_rxFd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq, 16);
        }
    }

    private void OpenRxFrames()
    {
        SetInt(_rxFd, SOL_PACKET, PACKET_VERSION, TPACKET_V2, "PACKET_VERSION");
        int need = V2RxMacRoom + Device.Mtu + 14 + 8;
        int frameBytes = 2048;
        while (frameBytes < need) frameBytes *= 2;
        int blockBytes = Math.Max(frameBytes, 256 << 10);
        int framesPerBlock = blockBytes / frameBytes;
        int blocks = Math.Max(1, (_options.RxFrameCount + framesPerBlock - 1) / framesPerBlock);
        uint* req = stackalloc uint[4];
        req[0] = (uint)blockBytes;                  // tp_block_size
        req[1] = (uint)blocks;                      // tp_block_nr
        req[2] = (uint)frameBytes;                  // tp_frame_size
        req[3] = (uint)(framesPerBlock * blocks);   // tp_frame_nr
        if (LibC.setsockopt(_rxFd, SOL_PACKET, PACKET_RX_RING, req, 4 * sizeof(uint)) < 0) ThrowSocketError("PACKET_RX_RING");
        _rxRingBytes = (nuint)blockBytes * (nuint)blocks;
        _rxRing = Map(_rxFd, _rxRingBytes, "the RX ring");
        _rxFrameBytes = frameBytes;
        _rxFrameCount = framesPerBlock * blocks;
        // tpacket_rcv(): a frame larger than a ring frame is truncated there and, with a copy threshold set, queued
        // whole on the socket (TP_STATUS_COPY); the receive buffer must hold a few 64 KB super-frames.
        SetInt(_rxFd, SOL_PACKET, PACKET_COPY_THRESH, 1, "PACKET_COPY_THRESH");
        int rcvbuf = 8 << 20;
        if (LibC.setsockopt(_rxFd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, &rcvbuf, sizeof(int)) < 0)
            LibC.setsockopt(_rxFd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, &rcvbuf, sizeof(int));
        _copyBuffer = (byte*)NativeMemory.Alloc(CopyBufferBytes);
    }

    private void OpenRxBlocks()
    {
        SetInt(_rxFd, SOL_PACKET, PACKET_VERSION, TPACKET_V3, "PACKET_VERSION");
        int blockBytes = _options.RxBlockBytes;
        int blocks = _options.RxBlockCount;
        const int frameBytes = 2048;
        uint* req = stackalloc uint[7];
        req[0] = (uint)blockBytes;                       // tp_block_size
        req[1] = (uint)blocks;                           // tp_block_nr
        req[2] = frameBytes;                             // tp_frame_size
        req[3] = (uint)(blockBytes / frameBytes * blocks); // tp_frame_nr
        req[4] = (uint)_options.RxBlockTimeoutMs;        // tp_retire_blk_tov
        req[5] = 0;                                      // tp_sizeof_priv
        req[6] = 0;                                      // tp_feature_req_word
        if (LibC.setsockopt(_rxFd, SOL_PACKET, PACKET_RX_RING, req, 7 * sizeof(uint)) < 0) ThrowSocketError("PACKET_RX_RING");
        _rxRingBytes = (nuint)blockBytes * (nuint)blocks;
        _rxRing = Map(_rxFd, _rxRingBytes, "the RX ring");
    }

    private void OpenTx(int ifIndex)
    {
        _txFd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0);
        if (_txFd < 0) ThrowSocketError("an AF_PACKET socket");
        SetInt(_txFd, SOL_PACKET, PACKET_VERSION, TPACKET_V2, "PACKET_VERSION");
        SetInt(_txFd, SOL_PACKET, PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
        int framesPerBlock = Math.Max(1, 65536 / _txFrameBytes);
        int blockBytes = framesPerBlock * _txFrameBytes;
        int blocks = (_txFrameCount + framesPerBlock - 1) / framesPerBlock;
        uint* req = stackalloc uint[4];
        req[0] = (uint)blockBytes;
        req[1] = (uint)blocks;
        req[2] = (uint)_txFrameBytes;
        req[3] = (uint)(framesPerBlock * blocks);
        if (LibC.setsockopt(_txFd, SOL_PACKET, PACKET_TX_RING, req, 4 * sizeof(uint)) < 0) ThrowSocketError("PACKET_TX_RING");
        _txRingBytes = (nuint)blockBytes * (nuint)blocks;
        _txRing = Map(_txFd, _txRingBytes, "the TX ring");
        // Protocol 0: the TX socket never receives (binding ETH_P_ALL would queue every frame to it).
        Bind(_txFd, ifIndex, 0);
        TxRingFrames = framesPerBlock * blocks;
    }

    private int TxRingFrames { get; set; }

    // ---- receive ----

    public int Receive(Span<Packet> burst, TimeNs now)
    {
        if (_rxRing is null) return 0;
        return _copyBuffer is not null ? ReceiveFrames(burst, now) : ReceiveBlocks(burst, now);
    }

    private int ReceiveFrames(Span<Packet> burst, TimeNs now)
    {
        int n = 0;
        while (n < burst.Length)
        {
            byte* hdr = _rxRing + (nint)_rxIndex * _rxFrameBytes;
            uint status = Volatile.Read(ref *(uint*)hdr);
            if ((status & TP_STATUS_USER) == 0) break;
            int produced = ImportFrameV2(hdr, status, burst[n..], now.Value);
            if (produced < 0)
            {
                if (n > 0) break; // a super-frame needs more room than this burst has left: it stays for the next
                produced = 0;     // more segments than any burst holds
                DropFrame(status);
            }
            n += produced;
            Volatile.Write(ref *(uint*)hdr, TP_STATUS_KERNEL);
            if (++_rxIndex == _rxFrameCount) _rxIndex = 0;
        }
        return n;
    }

    private int ImportFrameV2(byte* hdr, uint status, Span<Packet> output, long nowNs)
    {
        byte pktType = hdr[V2SockaddrOffset + SockaddrPacketTypeOffset];
        uint snap = *(uint*)(hdr + V2SnapLenOffset);
        uint len = *(uint*)(hdr + V2LenOffset);
        byte* data = hdr + *(ushort*)(hdr + V2MacOffset);
        if (snap < len)
        {
            if ((status & TP_STATUS_COPY) == 0)
            {
                if (pktType == PACKET_OUTGOING) return 0;
                Stats.RxFrames++;
                Stats.RxDropped++; // truncated, and the socket's buffer had no room for the whole frame
                return 0;
            }
            // The whole frame waits at the head of the socket's queue. The burst must hold its segments before
            // it is read, or it would be lost: ask for the room first, as the V3 path does.
            if (output.Length < MaxSegments(len)) return -1;
            nint got = LibC.recv(_rxFd, _copyBuffer, CopyBufferBytes, LibC.MSG_DONTWAIT | LibC.MSG_TRUNC);
            if (got <= 0 || got > CopyBufferBytes || pktType == PACKET_OUTGOING)
            {
                if (pktType == PACKET_OUTGOING) return 0;
                Stats.RxFrames++;
                Stats.RxDropped++;
                return 0;
            }
            data = _copyBuffer;
            snap = (uint)got;
        }
        else if (pktType == PACKET_OUTGOING)
        {
            return 0;
        }
        return ImportRingFrame(new Span<byte>(data, (int)snap), status, pktType,
            *(ushort*)(hdr + V2VlanTciOffset), *(ushort*)(hdr + V2VlanTpidOffset), output, nowNs);
    }

    /// <summary>An upper bound of the segments a super-frame of <paramref name="length"/> bytes becomes.</summary>
    private int MaxSegments(uint length) => (int)(length / (uint)Math.Max(1, Device.Mtu - 120)) + 2;

    private void DropFrame(uint status)
    {
        // A copied frame's whole version waits on the socket: take it off, or the next copy would read it.
        if ((status & TP_STATUS_COPY) != 0) LibC.recv(_rxFd, _copyBuffer, CopyBufferBytes, LibC.MSG_DONTWAIT | LibC.MSG_TRUNC);
        Stats.RxFrames++;
        Stats.RxDropped++;
    }

    private int ReceiveBlocks(Span<Packet> burst, TimeNs now)
    {
        int n = 0;
        while (n < burst.Length)
        {
            byte* block = _rxRing + (nint)_rxBlock * _options.RxBlockBytes;
            if (!_inBlock)
            {
                if ((Volatile.Read(ref *(uint*)(block + BlockStatusOffset)) & TP_STATUS_USER) == 0) break;
                _rxLeftInBlock = (int)*(uint*)(block + BlockNumPacketsOffset);
                _rxNext = block + *(uint*)(block + BlockFirstPacketOffset);
                _inBlock = true;
            }
            if (_rxLeftInBlock == 0)
            {
                ReleaseBlock(block);
                continue;
            }
            byte* hdr = _rxNext;
            int produced = ImportFrame(hdr, burst[n..], now.Value);
            if (produced < 0) break; // a super-frame needs more room than this burst has left
            n += produced;
            _rxNext = hdr + *(uint*)(hdr + V3NextOffset);
            if (--_rxLeftInBlock == 0) ReleaseBlock(block);
        }
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ImportFrame(byte* hdr, Span<Packet> output, long nowNs)
    {
        uint status = *(uint*)(hdr + V3StatusOffset);
        byte pktType = hdr[V3SockaddrOffset + SockaddrPacketTypeOffset];
        if (pktType == PACKET_OUTGOING) return 0;
        uint snap = *(uint*)(hdr + V3SnapLenOffset);
        uint len = *(uint*)(hdr + V3LenOffset);
        if (snap < len)
        {
            Stats.RxFrames++;
            Stats.RxDropped++; // truncated: larger than a ring block
            return 0;
        }
        return ImportRingFrame(new Span<byte>(hdr + *(ushort*)(hdr + V3MacOffset), (int)snap), status, pktType,
            (ushort)*(uint*)(hdr + V3VlanTciOffset), *(ushort*)(hdr + V3VlanTpidOffset), output, nowNs);
    }

    /// <summary>
    /// What both ring versions do with a frame's header facts: the checksum state and the VLAN tag the kernel
    /// stripped into metadata (the TCI and TPID are read whatever the status says; they count only when it does).
    /// The ring's timestamp is CLOCK_REALTIME and qdiscs want the monotonic clock: the burst's time serves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ImportRingFrame(Span<byte> frame, uint status, byte pktType, ushort vlanTci, ushort vlanTpid,
        Span<Packet> output, long nowNs)
    {
        RxFrameInfo info = RxFrameInfo.Plain(nowNs);
        info.PacketType = pktType;
        if ((status & TP_STATUS_CSUMNOTREADY) != 0) info.Checksum = ChecksumState.Partial;
        if ((status & TP_STATUS_VLAN_VALID) != 0)
        {
            info.VlanValid = true;
            info.VlanTci = vlanTci;
            if ((status & TP_STATUS_VLAN_TPID_VALID) != 0) info.VlanTpid = vlanTpid;
        }
        return _importer.Import(frame, in info, output);
    }

    private void ReleaseBlock(byte* block)
    {
        Volatile.Write(ref *(uint*)(block + BlockStatusOffset), TP_STATUS_KERNEL);
        _inBlock = false;
        _rxBlock = (_rxBlock + 1) % _options.RxBlockCount;
    }

    // ---- transmit ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* TxFrame(int index) => _txRing + (nint)index * _txFrameBytes;

    public int TxSpace(int max)
    {
        if (Status != PortStatus.Up) return max;
        if (max <= 0 || !TxFrameAvailable(_txIndex)) return 0;
        max = Math.Min(max, TxRingFrames);
        // The kernel hands frames back in ring order, so when the last frame of the window is free, all of it is:
        // two status reads instead of one cache miss per frame.
        if (TxFrameAvailable((_txIndex + max - 1) % TxRingFrames)) return max;
        int free = 1;
        int index = _txIndex;
        while (free < max)
        {
            if (++index == TxRingFrames) index = 0;
            if (!TxFrameAvailable(index)) break;
            free++;
        }
        return free;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TxFrameAvailable(int index) =>
        Volatile.Read(ref *(uint*)(TxFrame(index) + V2StatusOffset)) == TP_STATUS_AVAILABLE;

    public int Send(ReadOnlySpan<Packet> packets, TimeNs now)
    {
        int accepted = 0;
        int mtu = Device.Mtu;
        int room = _txFrameBytes - V2TxDataOffset;
        foreach (Packet p in packets)
        {
            if (Status != PortStatus.Up || !TxFrameWriter.FitsMtu(p, mtu))
            {
                Stats.TxDropped++;
                p.Free();
                accepted++;
                continue;
            }
            byte* frame = TxFrame(_txIndex);
            uint st = Volatile.Read(ref *(uint*)(frame + V2StatusOffset));
            if (st == TP_STATUS_WRONG_FORMAT)
            {
                Stats.TxDropped++;
                st = TP_STATUS_AVAILABLE;
            }
            if (st != TP_STATUS_AVAILABLE) break;
            int length = TxFrameWriter.Write(p, new Span<byte>(frame + V2TxDataOffset, room));
            if (length < 0)
            {
                Stats.TxDropped++;
                p.Free();
                accepted++;
                continue;
            }
            *(uint*)(frame + V2LenOffset) = (uint)length;
            Volatile.Write(ref *(uint*)(frame + V2StatusOffset), TP_STATUS_SEND_REQUEST);
            if (++_txIndex == TxRingFrames) _txIndex = 0;
            Stats.TxPackets++;
            Stats.TxBytes += length;
            p.Free();
            accepted++;
            _txPending = true;
        }
        return accepted;
    }

    public void Flush()
    {
        if (!_txPending) return;
        _txPending = false;
        while (LibC.send(_txFd, null, 0, LibC.MSG_DONTWAIT) < 0)
        {
            int errno = LibC.Errno;
            if (errno == LibC.EINTR) continue;
            if (errno is LibC.EAGAIN or LibC.ENOBUFS) { _txPending = true; return; }
            OnSocketError(errno);
            return;
        }
    }

    // ---- link state ----

    public PortStatus RefreshStatus()
    {
        CollectSocketError(_rxFd);
        CollectSocketError(_txFd);
        int? flags = NetInterface.GetFlags(Name);
        if (flags is null) Status = PortStatus.Removed;
        else if (Status != PortStatus.Removed)
        {
            bool up = (flags.Value & NetInterface.IFF_UP) != 0 && (flags.Value & NetInterface.IFF_RUNNING) != 0;
            if (up && Status == PortStatus.Down) ResetTxRing();
            Status = up ? PortStatus.Up : PortStatus.Down;
        }
        CollectKernelDrops();
        return Status;
    }

    private void CollectSocketError(int fd)
    {
        if (fd < 0) return;
        int err = LibC.TakeSocketError(fd);
        if (err != 0) OnSocketError(err);
    }

    private void OnSocketError(int errno)
    {
        if (errno is LibC.ENODEV or LibC.ENXIO) Status = PortStatus.Removed;
        else if (errno == LibC.ENETDOWN && Status == PortStatus.Up) Status = PortStatus.Down;
        else Stats.TxDropped++;
    }

    /// <summary>Frames queued while the link went down were never sent: give them back.</summary>
    private void ResetTxRing()
    {
        for (int i = 0; i < TxRingFrames; i++)
        {
            ref uint st = ref *(uint*)(TxFrame(i) + V2StatusOffset);
            if (st != TP_STATUS_AVAILABLE && st != TP_STATUS_SENDING)
            {
                st = TP_STATUS_AVAILABLE;
                Stats.TxDropped++;
            }
        }
    }

    private void CollectKernelDrops()
    {
        // struct tpacket_stats_v3 { tp_packets, tp_drops, tp_freeze_q_cnt }; reading resets it.
        uint* st = stackalloc uint[3];
        uint len = 3 * sizeof(uint);
        if (_rxFd >= 0 && LibC.getsockopt(_rxFd, SOL_PACKET, PACKET_STATISTICS, st, &len) == 0 && st[1] != 0)
        {
            Interlocked.Add(ref Stats.RxKernelDrops, st[1]);
            Interlocked.Add(ref Stats.RxDropped, st[1]);
        }
    }

    // ---- plumbing ----

    private void Bind(int fd, int ifIndex, ushort protocol)
    {
        byte* sll = stackalloc byte[SockaddrLlSize];
        new Span<byte>(sll, SockaddrLlSize).Clear();
        *(ushort*)sll = LibC.AF_PACKET;
        *(ushort*)(sll + 2) = LibC.HostToNetwork16(protocol);
        *(int*)(sll + 4) = ifIndex;
        if (LibC.bind(fd, sll, SockaddrLlSize) < 0) ThrowSocketError($"bind to {Name}");
    }

    private void SetInt(int fd, int level, int option, int value, string what)
    {
        if (LibC.setsockopt(fd, level, option, &value, sizeof(int)) < 0) ThrowSocketError(what);
    }

    private byte* Map(int fd, nuint bytes, string what)
    {
        void* p = LibC.mmap(null, bytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (p == (void*)-1) ThrowSocketError($"mmap of {what}");
        return (byte*)p;
    }

    private void ThrowSocketError(string what)
    {
        int errno = LibC.Errno;
        if (errno is LibC.EPERM or LibC.EACCES) throw PortOpener.MissingCapability(Name, what);
        if (errno is LibC.ENODEV or LibC.ENXIO) throw new PortException($"no such interface: {Name}");
        if (errno == LibC.ENETDOWN) throw new PortException($"interface {Name} is down: bring it up with `ip link set {Name} up`");
        throw new PortException($"{what} on {Name} failed: {LibC.ErrorText(errno)}");
    }

    public void Dispose()
    {
        if (_rxRing is not null) { LibC.munmap(_rxRing, _rxRingBytes); _rxRing = null; }
        if (_copyBuffer is not null) { NativeMemory.Free(_copyBuffer); _copyBuffer = null; }
        if (_txRing is not null) { LibC.munmap(_txRing, _txRingBytes); _txRing = null; }
        if (_rxFd >= 0) { LibC.close(_rxFd); _rxFd = -1; }
        if (_txFd >= 0) { LibC.close(_txFd); _txFd = -1; }
    }

    public override string ToString() => $"{Name} (mmap)";
}
