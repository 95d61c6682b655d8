using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Bpf.Native.Execution;
using Bpf.Native.Helpers.Tc;
using Sched.Fast.Devices;
using Sched.Fast.Packets;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// Runs tc programs on packets: the program's context is the packet's <see cref="PacketMetadata"/> (rewritten
/// accesses reach it directly), LD_ABS reads the frame, and the tc helpers reach the packet through a per-thread
/// host block (<see cref="TcRunState"/>) whose operations resize the frame inside its slot
/// (<see cref="Packet.TryPush"/>, <see cref="Packet.TryResizeTail"/>), send clones through the device table's
/// <see cref="IPacketRedirector"/>, and compute the flow hash (<see cref="FlowHash"/>). A run allocates nothing.
/// </summary>
public sealed unsafe class PacketBpfHost
{
    /// <summary>The link-layer header in front of the network header (Ethernet).</summary>
    public const int MacHeaderBytes = 14;

    // XMIT_RECURSION_LIMIT (include/linux/netdevice.h): how deep transmits may nest before the kernel refuses.
    private const int XmitRecursionLimit = 8;

    private static readonly TcSkbHost* s_host = CreateHost();

    [ThreadStatic]
    private static PacketBpfHost? t_host;

    private readonly TcRunState* _state;
    private readonly GCHandle _self;
    private Packet? _packet;
    private DeviceTable? _devices;
    private int _depth; // runs in progress on this thread, nested through clone redirects

    private PacketBpfHost()
    {
        _self = GCHandle.Alloc(this, GCHandleType.Weak);
        _state = (TcRunState*)NativeMemory.AllocZeroed((nuint)sizeof(TcRunState));
        _state->Host = s_host;
        _state->HostHandle = GCHandle.ToIntPtr(_self);
    }

    ~PacketBpfHost()
    {
        NativeMemory.Free(_state);
        _self.Free();
    }

    /// <summary>The calling thread's host (each thread runs programs on its own state).</summary>
    public static PacketBpfHost Current => t_host ??= new PacketBpfHost();

    /// <summary>
    /// Runs <paramref name="program"/> on <paramref name="packet"/> and returns r0. <paramref name="devices"/> is
    /// where bpf_clone_redirect finds its target (null: it fails with -EINVAL).
    /// </summary>
    [SkipLocalsInit]
    public ulong Run(BpfProgram program, Packet packet, DeviceTable? devices)
    {
        Unsafe.SkipInit(out BpfStackBuffer stack);
        PacketMetadata* meta = packet.MetaPointer;
        var run = new BpfRunContext
        {
            Context = meta,
            ContextLength = PacketContextLayout.SkBuffSize,
            PacketData = meta->Data,
            PacketLength = (uint)meta->Length,
            NetworkHeaderOffset = MacHeaderBytes,
            StackTop = BpfStackBuffer.Top(ref stack),
            HostState = _state,
        };
        // A clone redirected to an egress device can run another program on this thread before this one ends:
        // the outer run's packet and devices come back when the inner one returns.
        Packet? outerPacket = _packet;
        DeviceTable? outerDevices = _devices;
        _packet = packet;
        _devices = devices;
        _depth++;
        ulong r0 = program.Run(&run);
        _depth--;
        _packet = outerPacket;
        _devices = outerDevices;
        return r0;
    }

    private static TcSkbHost* CreateHost()
    {
        var host = (TcSkbHost*)NativeMemory.AllocZeroed((nuint)sizeof(TcSkbHost));
        host->DataOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.Data));
        host->LengthOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.Length));
        host->ProtocolOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.Protocol));
        host->VlanPresentOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.VlanPresent));
        host->VlanTciOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.VlanTci));
        host->VlanProtoOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.VlanProto));
        host->HashOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.Hash));
        host->HashValidOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.HashValid));
        host->L4HashOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.L4Hash));
        host->PacketTypeOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.PacketType));
        host->RedirectIfIndexOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.RedirectIfIndex));
        host->RedirectFlagsOffset = (int)Marshal.OffsetOf<PacketMetadata>(nameof(PacketMetadata.RedirectFlags));
        host->MacHeaderBytes = MacHeaderBytes;
        host->PushHead = &PushHead;
        host->SetLength = &SetLength;
        host->CloneRedirect = &CloneRedirect;
        host->RecalculateHash = &RecalculateHash;
        return host;
    }

    private static PacketBpfHost Of(BpfRunContext* run) =>
        (PacketBpfHost)GCHandle.FromIntPtr(((TcRunState*)run->HostState)->HostHandle).Target!;

    private static int PushHead(BpfRunContext* run, int bytes)
    {
        Packet packet = Of(run)._packet!;
        // The helpers leave qdisc_skb_cb(skb)->pkt_len (wire_len) alone; resizing the packet resets it.
        int wireLength = packet.QdiscLength;
        bool done = bytes >= 0 ? packet.TryPush(bytes) : packet.TryPull(-bytes);
        packet.QdiscLength = wireLength;
        return done ? 0 : -12; // -ENOMEM: the kernel would reallocate the buffer.
    }

    private static int SetLength(BpfRunContext* run, int length)
    {
        Packet packet = Of(run)._packet!;
        int wireLength = packet.QdiscLength;
        bool done = packet.TryResizeTail(length - packet.Length);
        packet.QdiscLength = wireLength;
        return done ? 0 : -12;
    }

    /// <summary>bpf_clone_redirect(): a copy goes to the device now (__bpf_redirect on a clone).</summary>
    private static int CloneRedirect(BpfRunContext* run, uint ifIndex, ulong flags)
    {
        PacketBpfHost host = Of(run);
        NetDevice? device = host._devices?.Find((int)ifIndex);
        IPacketRedirector? redirector = host._devices?.Redirector;
        if (device is null || redirector is null)
        {
            return -22; // -EINVAL: no such device
        }
        if (host._depth > XmitRecursionLimit)
        {
            // __bpf_tx_skb() at dev_xmit_recursion(): a program redirecting into itself (after the device lookup).
            return -100; // -ENETDOWN
        }
        Packet? copy = host._packet!.Clone();
        if (copy is null)
        {
            return -12;
        }
        return BpfRedirect.Deliver(copy, device, redirector, (flags & RedirectHelpers.Ingress) != 0) ? 0 : 1;
    }

    private static uint RecalculateHash(BpfRunContext* run) => FlowHash.Get(Of(run)._packet!);
}
