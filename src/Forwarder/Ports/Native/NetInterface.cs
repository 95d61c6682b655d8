using System.Runtime.InteropServices;
using System.Text;

namespace Forwarder.Ports.Native;

/// <summary>
/// What the kernel says about a network interface in the current network namespace (SIOCGIF* ioctls, so the
/// answer is right inside `ip netns exec` without a remounted /sys): index, MTU, flags, txqueuelen, MAC address.
/// </summary>
internal static unsafe class NetInterface
{
    private const uint SIOCGIFFLAGS = 0x8913;
    private const uint SIOCGIFMTU = 0x8921;
    private const uint SIOCGIFHWADDR = 0x8927;
    private const uint SIOCGIFINDEX = 0x8933;
    private const uint SIOCGIFTXQLEN = 0x8942;
    public const int IFF_UP = 0x1;
    public const int IFF_RUNNING = 0x40;
    private const int IfReqSize = 40;
    private const int IfNameSize = 16;

    public static bool TryGetIndex(string name, out int ifIndex) => TryIoctlInt(name, SIOCGIFINDEX, out ifIndex, out _);

    public static int GetMtu(string name) => TryIoctlInt(name, SIOCGIFMTU, out int v, out _) ? v : 1500;

    public static int GetTxQueueLength(string name) => TryIoctlInt(name, SIOCGIFTXQLEN, out int v, out _) ? v : 1000;

    /// <summary>The interface flags (IFF_UP, IFF_RUNNING, ...), or null when the interface does not exist.</summary>
    public static int? GetFlags(string name) =>
        TryIoctlInt(name, SIOCGIFFLAGS, out int v, out int errno) ? v & 0xFFFF : errno == LibC.ENODEV ? null : 0;

    public static bool Exists(string name) => TryGetIndex(name, out _);

    public static byte[] GetMac(string name)
    {
        byte* req = stackalloc byte[IfReqSize];
        if (!Ioctl(name, SIOCGIFHWADDR, req, out _)) return new byte[6];
        // struct ifreq: name[16], then struct sockaddr { sa_family (2), sa_data[14] }.
        return new ReadOnlySpan<byte>(req + IfNameSize + 2, 6).ToArray();
    }

    private static bool TryIoctlInt(string name, uint request, out int value, out int errno)
    {
        byte* req = stackalloc byte[IfReqSize];
        value = 0;
        if (!Ioctl(name, request, req, out errno)) return false;
        value = *(int*)(req + IfNameSize);
        return true;
    }

    private static bool Ioctl(string name, uint request, byte* req, out int errno)
    {
        errno = 0;
        new Span<byte>(req, IfReqSize).Clear();
        int n = Encoding.ASCII.GetBytes(name, new Span<byte>(req, IfNameSize - 1));
        if (n == 0 || n != name.Length) { errno = LibC.ENODEV; return false; }
        int fd = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        if (fd < 0) { errno = Marshal.GetLastPInvokeError(); return false; }
        try
        {
            if (LibC.ioctl(fd, request, req) < 0) { errno = Marshal.GetLastPInvokeError(); return false; }
            return true;
        }
        finally
        {
            LibC.close(fd);
        }
    }
}
