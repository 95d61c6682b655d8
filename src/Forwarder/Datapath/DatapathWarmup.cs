using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Forwarder.Ports;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;
using Sched.Fast.Time;

namespace Forwarder.Datapath;

/// <summary>
/// Runs the forwarding code on in-memory ports before real traffic arrives, so that the JIT has compiled it by then
/// (the forwarder runs without tiered compilation: every method is compiled once, fully optimised, at its first
/// call). Otherwise the first packets pay for compilation, which a benchmark measuring CPU per packet right after
/// start-up sees.
/// </summary>
public static class DatapathWarmup
{
    public static void Run(TimeSpan duration, int mtu = 1500)
    {
        using var pool = new PacketPool(4096, Math.Max(2048, PacketPool.DefaultHeadroom + mtu + 128));
        (LoopbackPort x, LoopbackPort a) = LoopbackPort.CreatePair("warmx", 1_000_000, pool, "warma", 1_000_001, pool, mtu);
        (LoopbackPort b, LoopbackPort y) = LoopbackPort.CreatePair("warmb", 1_000_002, pool, "warmy", 1_000_003, pool, mtu);
        using var datapath = new Datapath([a, b], [1, 0], SystemClock.Instance);
        byte[] udp = UdpFrame(64);
        byte[] larger = UdpFrame(300);
        var sink = new Packet[256];
        var clock = Stopwatch.StartNew();
        for (long round = 0; clock.Elapsed < duration; round++)
        {
            for (int i = 0; i < 128; i++) a.InjectRx(udp);
            if ((round & 15) == 0) b.InjectRx(larger);
            datapath.PollOnce(SystemClock.Instance.Now);
            Drain(x, sink);
            Drain(y, sink);
            if ((round & 255) == 255) Thread.Sleep(1); // leave the background compiler some CPU
        }
    }

    /// <summary>
    /// Compiles the port layer (Forwarder.Ports and its P/Invoke) ahead of the first packet: the in-memory warm-up
    /// never calls the real ports, and compiling their receive and send paths when a flood starts stalled the
    /// thread for longer than a pcap ring holds (2046 frames of 64 KB on a veth with offloads: 5 ms at 400 kpps),
    /// so the first packets of a flood were lost.
    /// </summary>
    public static void CompilePorts()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
            BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (Type type in typeof(IPort).Assembly.GetTypes())
        {
            if (type.Namespace is not ("Forwarder.Ports" or "Forwarder.Ports.Native") || type.ContainsGenericParameters) continue;
            foreach (MethodBase method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (method.IsAbstract || method.ContainsGenericParameters) continue;
                try
                {
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or TypeLoadException or EntryPointNotFoundException or DllNotFoundException or BadImageFormatException)
                {
                    // A method the runtime will not compile ahead (an unresolvable native entry point): it compiles at its first call.
                }
            }
        }
    }

    private static void Drain(LoopbackPort port, Packet[] sink)
    {
        int n;
        while ((n = port.Receive(sink, TimeNs.Zero)) > 0)
        {
            for (int i = 0; i < n; i++) sink[i].Free();
        }
    }

    private static byte[] UdpFrame(int bytes)
    {
        byte[] f = new byte[bytes];
        var eth = EthernetFrame.CreateUnchecked(f);
        eth.Destination = MacAddress.Parse("02:00:00:00:00:02");
        eth.Source = MacAddress.Parse("02:00:00:00:00:01");
        eth.EtherType = EtherType.Ipv4;
        var ip = Ipv4Packet.CreateUnchecked(f.AsSpan(14));
        ip.Version = 4;
        ip.HeaderLength = 20;
        ip.TotalLength = (ushort)(bytes - 14);
        ip.Ttl = 1;
        ip.Protocol = IpProtocol.Udp;
        ip.Source = 0xC6120001;
        ip.Destination = 0xC6120002;
        ip.FillChecksum();
        var udp = UdpPacket.CreateUnchecked(ip.Payload);
        udp.SourcePort = 9;
        udp.DestinationPort = 9;
        udp.Length = (ushort)(bytes - 34);
        udp.FillChecksum(ip.PseudoHeaderSum(udp.Length));
        return f;
    }
}
