using System.Runtime.InteropServices;

namespace Forwarder.Ports.Native;

/// <summary>
/// A NETLINK_ROUTE socket subscribed to RTMGRP_LINK in the current network namespace: it polls readable whenever
/// an interface changes (up, down, carrier, removal), so the datapath can sleep instead of looking at its links on a
/// timer. Messages are not parsed: any of them means "look at the ports again".
/// </summary>
internal sealed unsafe class LinkMonitor : IDisposable
{
    private const int AF_NETLINK = 16;
    private const int NETLINK_ROUTE = 0;
    private const int SOCK_NONBLOCK = 0x800;
    private const int SOCK_CLOEXEC = 0x80000;
    private const uint RTMGRP_LINK = 1;
    private const int BufferBytes = 16384;

    private byte* _buffer;

    private LinkMonitor(int fd)
    {
        Fd = fd;
        _buffer = (byte*)NativeMemory.Alloc(BufferBytes);
    }

    /// <summary>The descriptor to poll for POLLIN.</summary>
    public int Fd { get; private set; }

    /// <summary>A monitor, or null when netlink is not available (then the caller falls back to polling links).</summary>
    public static LinkMonitor? TryOpen()
    {
        int fd = LibC.socket(AF_NETLINK, LibC.SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) return null;
        // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
        byte* sa = stackalloc byte[12];
        new Span<byte>(sa, 12).Clear();
        *(ushort*)sa = AF_NETLINK;
        *(uint*)(sa + 8) = RTMGRP_LINK;
        if (LibC.bind(fd, sa, 12) < 0)
        {
            LibC.close(fd);
            return null;
        }
        return new LinkMonitor(fd);
    }

    /// <summary>Reads every pending message; true when there was any (a link changed, or the socket overflowed).</summary>
    public bool Drain()
    {
        bool any = false;
        while (true)
        {
            nint n = LibC.read(Fd, _buffer, BufferBytes);
            if (n > 0)
            {
                any = true;
                continue;
            }
            // ENOBUFS: events were lost; the caller looks at every port anyway.
            if (n < 0 && LibC.Errno == LibC.ENOBUFS) any = true;
            else if (n < 0 && LibC.Errno == LibC.EINTR) continue;
            return any;
        }
    }

    public void Dispose()
    {
        if (Fd >= 0) LibC.close(Fd);
        Fd = -1;
        if (_buffer is not null) NativeMemory.Free(_buffer);
        _buffer = null;
    }
}
