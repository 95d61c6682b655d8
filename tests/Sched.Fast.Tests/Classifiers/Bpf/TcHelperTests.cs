using System.Buffers.Binary;
using Bpf.Native.Execution;
using Bpf.Native.Helpers.Tc;
using Bpf.Native.Maps;
using Bpf.Native.Programs;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Tests.Support;

namespace Sched.Fast.Tests.Classifiers.Bpf;

/// <summary>
/// The tc helpers on real packets, on both engines: what the kernel comparison (Forwarder.Tests/Bpf) cannot show
/// because it lives outside bpftool's output: metadata, redirects, maps across runs, trace and ring buffer output,
/// tail calls. Results the kernel also gives are the ones bpftool printed for the same programs.
/// </summary>
public sealed class TcHelperTests : IDisposable
{
    private readonly PacketPool _pool = new(16);

    public void Dispose() => _pool.Dispose();

    public static TheoryData<EngineKind> Engines => BpfFixtures.Engines;

    private Packet Udp() => PacketRun.Packet(_pool, TestFrames.Udp(54));

    [Theory]
    [MemberData(nameof(Engines))]
    public void Redirect_records_the_target_and_skb_do_redirect_delivers_it(EngineKind engine)
    {
        LoadedProgram program = BpfFixtures.Load("helpers", "h_redirect", engine);
        var devices = new DeviceTable();
        var target = new NetDevice("r7", 7);
        devices.Add(target);
        var redirector = new RecordingRedirector();
        devices.Redirector = redirector;
        Packet p = Udp();
        Assert.Equal(7, PacketRun.Run(program, p));
        Assert.Equal(7, p.Meta.RedirectIfIndex);
        Assert.Equal(1u, p.Meta.RedirectFlags);
        Assert.True(BpfRedirect.Complete(p, devices));
        Assert.Equal(("r7", true), Assert.Single(redirector.Deliveries));
    }

    [Fact]
    public void A_redirect_to_an_unknown_device_drops_the_packet()
    {
        var devices = new DeviceTable { Redirector = new RecordingRedirector() };
        Packet p = Udp();
        p.Meta.RedirectIfIndex = 42;
        int free = _pool.Available;
        Assert.False(BpfRedirect.Complete(p, devices));
        Assert.Equal(free + 1, _pool.Available);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Clone_redirect_sends_a_copy_now_and_fails_for_an_unknown_device(EngineKind engine)
    {
        LoadedProgram program = BpfFixtures.Load("helpers", "h_clone_redirect", engine);
        var devices = new DeviceTable();
        devices.Add(new NetDevice("c9", 9));
        var redirector = new RecordingRedirector();
        devices.Redirector = redirector;
        Packet p = Udp();
        // 0 for ifindex 9, then -EINVAL for ifindex 999: 0 * 100 + -22.
        Assert.Equal(-22, PacketRun.Run(program, p, devices));
        Assert.Equal(("c9", false), Assert.Single(redirector.Deliveries));
        p.Free();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_program_cloning_into_itself_stops_at_the_kernels_transmit_recursion_limit(EngineKind engine)
    {
        LoadedProgram program = BpfFixtures.Load("helpers", "h_clone_redirect", engine);
        var devices = new DeviceTable();
        devices.Add(new NetDevice("c9", 9));
        // Device 9's egress runs the same program on each copy, on this thread, as a clsact egress filter would.
        var redirector = new RerunningRedirector(program, devices);
        devices.Redirector = redirector;
        Packet p = Udp();
        // The outer run's copy went (0), then -EINVAL for ifindex 999, as without nesting.
        Assert.Equal(-22, PacketRun.Run(program, p, devices));
        // Runs nest 9 deep (XMIT_RECURSION_LIMIT 8): the deepest one's clone fails with -ENETDOWN.
        Assert.Equal(8, redirector.Results.Count);
        Assert.Equal(-100 * 100 - 22, redirector.Results[0]);
        Assert.All(redirector.Results.Skip(1), r => Assert.Equal(-22, r));
        p.Free();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Vlan_push_and_pop_move_tags_between_metadata_and_frame(EngineKind engine)
    {
        LoadedProgram program = BpfFixtures.Load("helpers", "h_vlan", engine);
        Packet p = Udp();
        byte[] before = p.Data.ToArray();
        Assert.Equal(1, PacketRun.Run(program, p));
        Assert.Equal(before, p.Data.ToArray());
        Assert.Equal(0, p.Meta.VlanPresent);
        p.Free();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Reshaping_keeps_the_packet_and_its_data_pointers_in_step(EngineKind engine)
    {
        Packet p = Udp();
        Assert.Equal(68, PacketRun.Run(BpfFixtures.Load("helpers", "h_change_head", engine), p));
        Assert.Equal(68, p.Length);
        Assert.Equal(68, p.Meta.Length);
        unsafe
        {
            Assert.True(p.Meta.Data == p.DataPointer);
            Assert.True(p.Meta.DataEnd == p.DataPointer + 68);
        }
        Assert.Equal(78, PacketRun.Run(BpfFixtures.Load("helpers", "h_change_tail", engine), p));
        Assert.Equal(78, p.Length);
        p.Free();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Growing_past_the_slot_headroom_fails_with_enomem(EngineKind engine)
    {
        // The kernel would reallocate the buffer; a slot has a fixed headroom (128 bytes by default).
        Packet p = Udp();
        Assert.Equal(-12, PacketRun.Run(BpfFixtures.Load("helpers", "h_change_head_huge", engine), p));
        Assert.Equal(54, p.Length);
        p.Free();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checksum_helpers_keep_headers_valid(EngineKind engine)
    {
        Packet p = PacketRun.Packet(_pool, UdpWithChecksum());
        Assert.Equal(0, PacketRun.Run(BpfFixtures.Load("helpers", "h_l3_csum", engine), p));
        Assert.Equal(63, p.Data[14 + 8]);
        Assert.Equal(0, OnesComplementSum(p.Data.Slice(14, 20)));
        Assert.Equal(0, PacketRun.Run(BpfFixtures.Load("helpers", "h_l4_csum", engine), p));
        Assert.Equal(5353, BinaryPrimitives.ReadUInt16BigEndian(p.Data[36..]));
        Assert.Equal(0, UdpChecksumRemainder(p.Data));
        p.Free();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Hash_helpers_set_clear_and_recompute_the_flow_hash(EngineKind engine)
    {
        Packet p = Udp();
        Assert.Equal(1, PacketRun.Run(BpfFixtures.Load("helpers", "h_hash", engine), p));
        Assert.Equal(FlowHash.Compute(FlowKeys.Extract(p.Data), 0), p.Meta.Hash);
        p.Free();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Maps_keep_their_contents_across_runs(EngineKind engine)
    {
        LoadedProgram counts = BpfFixtures.Load("helpers", "h_map_counts", engine);
        var counters = counts.Maps!["counters"];
        Packet p = Udp();
        p.Mark = 5;
        for (int i = 0; i < 3; i++) Assert.Equal(54, PacketRun.Run(counts, p));
        var value = new byte[8];
        Assert.Equal(0, counters.LookupElement(BitConverter.GetBytes(5u), value));
        Assert.Equal(3UL, BitConverter.ToUInt64(value));
        p.Free();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Trace_printk_formats_into_the_trace_log(EngineKind engine)
    {
        var lines = new List<string>();
        void Collect(string line)
        {
            lock (lines) lines.Add(line);
        }
        BpfTraceLog.Message += Collect;
        try
        {
            Packet p = Udp();
            p.Mark = 0xbeef;
            Assert.Equal(20, PacketRun.Run(BpfFixtures.Load("helpers", "h_trace", engine), p));
            lock (lines) Assert.Contains("len=54 mark=beef ok\n", lines);
            p.Free();
        }
        finally
        {
            BpfTraceLog.Message -= Collect;
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Ring_buffer_records_reach_a_consumer(EngineKind engine)
    {
        LoadedProgram program = BpfFixtures.Load("helpers", "h_ringbuf", engine);
        var ring = (RingBufMap)program.Maps!["events"];
        Packet p = Udp();
        p.Mark = 77;
        Assert.Equal(0, PacketRun.Run(program, p));
        var records = new List<uint>();
        new RingBufConsumer(ring).Consume(r => records.Add(BitConverter.ToUInt32(r)));
        Assert.Equal([54u, 77u], records);
        p.Free();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Legacy_tail_call_sections_fill_their_prog_array(EngineKind engine)
    {
        LoadedProgram entry = BpfFixtures.Load("tailcall", "classifier", engine);
        Packet p = Udp();
        p.Mark = 0;
        Assert.Equal(42, PacketRun.Run(entry, p));
        Assert.Equal(99u, p.Mark);
        p.Mark = 1; // an empty slot: the program goes on after the call
        Assert.Equal(7, PacketRun.Run(entry, p));
        p.Mark = 5; // past the array
        Assert.Equal(7, PacketRun.Run(entry, p));
        Assert.Single(entry.TailCallTargets);
        p.Free();
    }

    private static byte[] UdpWithChecksum()
    {
        byte[] f = TestFrames.Udp(54, srcPort: 1234, dstPort: 53);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(40), 0);
        ushort sum = (ushort)~UdpChecksumSum(f);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(40), sum == 0 ? (ushort)0xffff : sum);
        return f;
    }

    private static int UdpChecksumRemainder(ReadOnlySpan<byte> frame) => (ushort)~UdpChecksumSum(frame);

    private static ushort UdpChecksumSum(ReadOnlySpan<byte> frame)
    {
        ReadOnlySpan<byte> ip = frame[14..];
        int udpLength = BinaryPrimitives.ReadUInt16BigEndian(ip[24..]);
        uint sum = 0;
        for (int i = 12; i < 20; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
        sum += 17;
        sum += (uint)udpLength;
        ReadOnlySpan<byte> udp = ip.Slice(20, udpLength);
        for (int i = 0; i + 1 < udp.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(udp[i..]);
        if ((udp.Length & 1) != 0) sum += (uint)(udp[^1] << 8);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)sum;
    }

    private static int OnesComplementSum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    private sealed class RerunningRedirector(LoadedProgram program, DeviceTable devices) : IPacketRedirector
    {
        public List<int> Results { get; } = [];

        public bool ToEgress(NetDevice device, Packet packet)
        {
            Results.Add(PacketRun.Run(program, packet, devices));
            packet.Free();
            return true;
        }

        public bool ToIngress(NetDevice device, Packet packet) => ToEgress(device, packet);
    }

    private sealed class RecordingRedirector : IPacketRedirector
    {
        public List<(string Device, bool Ingress)> Deliveries { get; } = [];

        public bool ToEgress(NetDevice device, Packet packet)
        {
            Deliveries.Add((device.Name, false));
            packet.Free();
            return true;
        }

        public bool ToIngress(NetDevice device, Packet packet)
        {
            Deliveries.Add((device.Name, true));
            packet.Free();
            return true;
        }
    }
}
