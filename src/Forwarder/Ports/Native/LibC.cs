using System.Runtime.InteropServices;

namespace Forwarder.Ports.Native;

/// <summary>The few libc calls the ports need (Linux, x86_64/arm64 ABI). Errors come back as -1 with errno.</summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    public const int AF_INET = 2;
    public const int AF_PACKET = 17;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_RAW = 3;
    public const int SOL_SOCKET = 1;
    public const int SO_ERROR = 4;
    public const int SO_RCVBUF = 8;

    public const int PROT_READ = 1, PROT_WRITE = 2;
    public const int MAP_SHARED = 1;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_TRUNC = 0x20;
    public const int SO_RCVBUFFORCE = 33;

    public const short POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;

    public const int EINTR = 4, ENXIO = 6, EAGAIN = 11, ENOBUFS = 105, EPERM = 1, EACCES = 13, ENODEV = 19;
    public const int ENETDOWN = 100, EMSGSIZE = 90;

    public const int EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, void* value, uint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int name, void* value, uint* length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int bind(int fd, void* address, uint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial void* mmap(void* address, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int munmap(void* address, nuint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ppoll(PollFd* fds, nuint count, TimeSpec* timeout, void* sigmask);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint recv(int fd, void* buffer, nuint length, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint send(int fd, void* buffer, nuint length, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, void* argument);

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>struct mmsghdr: a struct msghdr (56 bytes on 64-bit Linux) and the length the kernel sent.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
        private readonly int _msgHdrPadding;
        public uint SentLength;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sendmmsg(int fd, MMsgHdr* messages, uint count, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int eventfd(uint initial, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, void* buffer, nuint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, void* buffer, nuint length);

    public const int PRIO_PROCESS = 0;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setpriority(int which, uint who, int priority);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getpriority(int which, uint who);

    [LibraryImport(Lib)]
    public static partial int gettid();

    public const int PR_SET_TIMERSLACK = 29;

    /// <summary>x86-64 __NR_sched_setattr (glibc 2.36 has no wrapper).</summary>
    public const nint SYS_sched_setattr = 314;

    /// <summary>struct sched_attr, SCHED_ATTR_SIZE_VER0 (48 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong RuntimeNs;
        public ulong DeadlineNs;
        public ulong PeriodNs;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint syscall(nint number, nint arg1, nint arg2, nint arg3);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>SO_ERROR: the error the kernel parked on a socket (reading clears it); 0 when none.</summary>
    public static int TakeSocketError(int fd)
    {
        int error = 0;
        uint length = sizeof(int);
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 ? error : Errno;
    }

    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    public static ushort HostToNetwork16(ushort v) => BitConverter.IsLittleEndian ? (ushort)((v >> 8) | (v << 8)) : v;
}
