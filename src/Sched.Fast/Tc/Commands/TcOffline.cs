using Sched.Fast.Devices;
using Sched.Fast.Time;

namespace Sched.Fast.Tc.Commands;

/// <summary>
/// An in-memory tc instance with no traffic and simulated time (forwarder tc --offline, golden tests). Devices
/// named in commands are created on first mention, down, like a fresh veth (MTU 1500, txqueuelen 1000, one TX
/// queue, no qdisc until one is added). It starts with the devices of the kernel oracle's lab in the kernel's
/// order (lo; the veth pair t0/t1, whose peer t1 registers first; the dummy d0), all down and without qdiscs and
/// so invisible until used, so that a listing over all devices comes out in the oracle's order.
/// </summary>
public static class TcOffline
{
    public static TcEngine Create(IClock? clock = null)
    {
        var devices = new DeviceTable();
        devices.Add(new NetDevice("lo", 1, mtu: 65536));
        devices.Add(new NetDevice("t1", 6));
        devices.Add(new NetDevice("t0", 7));
        devices.Add(new NetDevice("d0", 8));
        return new TcEngine(devices, clock ?? new ManualClock(new TimeNs(TimeNs.NsPerSecond)))
        {
            CreateDevicesOnMention = true,
        };
    }
}
