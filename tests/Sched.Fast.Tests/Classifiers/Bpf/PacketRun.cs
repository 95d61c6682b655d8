using Bpf.Native.Programs;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Devices;
using Sched.Fast.Packets;

namespace Sched.Fast.Tests.Classifiers.Bpf;

/// <summary>Runs a loaded program on a packet the way cls_bpf does (PacketBpfHost), for the tests.</summary>
internal static class PacketRun
{
    public static int Run(LoadedProgram program, Packet packet, DeviceTable? devices = null) =>
        (int)PacketBpfHost.Current.Run(program.Program, packet, devices);

    /// <summary>A packet holding <paramref name="frame"/>, metadata as a port sets it (protocol from the frame).</summary>
    public static Packet Packet(PacketPool pool, byte[] frame)
    {
        Packet p = pool.Rent() ?? throw new InvalidOperationException("test pool exhausted");
        p.Load(frame);
        p.Protocol = (ushort)(frame[12] << 8 | frame[13]);
        p.Meta.IfIndex = 1;
        return p;
    }
}
