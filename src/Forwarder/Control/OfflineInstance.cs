using Sched.Fast.Devices;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Time;

namespace Forwarder.Control;

/// <summary>
/// The in-memory instance of "forwarder tc --offline": no ports, no traffic, simulated time. Devices named in
/// commands are created on first mention, down, like a fresh veth (1500 MTU, txqueuelen 1000, one TX queue, no
/// qdisc until one is added). It starts with the devices of the kernel oracle's lab in the kernel's order (lo, the
/// veth pair t0/t1, whose peer t1 registers first, and the dummy d0), so that a listing of all devices comes out
/// in the same order as on that kernel; being down and without qdiscs, they are invisible until used.
/// </summary>
public static class OfflineInstance
{
    public static TcEngine Create()
    {
        var devices = new DeviceTable();
        devices.Add(new NetDevice("lo", 1, mtu: 65536));
        devices.Add(new NetDevice("t1", 6));
        devices.Add(new NetDevice("t0", 7));
        devices.Add(new NetDevice("d0", 8));
        return new TcEngine(devices, new ManualClock(new TimeNs(TimeNs.NsPerSecond))) { CreateDevicesOnMention = true };
    }
}
