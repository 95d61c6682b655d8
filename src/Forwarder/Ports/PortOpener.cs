using Forwarder.Ports.Native;

namespace Forwarder.Ports;

/// <summary>Checks done before any port opens an interface, so that every backend fails the same clear way.</summary>
public static class PortOpener
{
    /// <summary>Throws a <see cref="PortException"/> unless <paramref name="name"/> exists and is up.</summary>
    public static void CheckInterface(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 15 || name.Contains('/'))
            throw new PortException($"'{name}' is not a valid interface name (1 to 15 characters, no '/')");
        int? flags = NetInterface.GetFlags(name);
        if (flags is null)
            throw new PortException($"no such interface: {name} (see `ip link show`; in a lab, run inside its namespace with `ip netns exec`)");
        if ((flags.Value & NetInterface.IFF_UP) == 0)
            throw new PortException($"interface {name} is down: bring it up with `ip link set {name} up`");
    }

    /// <summary>The message for a socket call refused for lack of privileges.</summary>
    public static PortException MissingCapability(string name, string what) =>
        new($"cannot open {what} on {name}: permission denied. Capturing and injecting frames needs CAP_NET_RAW " +
            "(run as root, or grant it: `sudo setcap cap_net_raw,cap_net_admin+ep <the forwarder binary>`)");
}
