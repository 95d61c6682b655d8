namespace Bpf.Native.Helpers.Tc;

/// <summary>Errno values the tc helpers return (negated, as the kernel's helpers do) beyond those maps use.</summary>
internal static class TcErrno
{
    public const int NoEntry = -2;        // ENOENT
    public const int TooBig = -7;         // E2BIG
    public const int NoMemory = -12;      // ENOMEM
    public const int Fault = -14;         // EFAULT
    public const int Invalid = -22;       // EINVAL
    public const int Range = -34;         // ERANGE
    public const int BadMessage = -74;    // EBADMSG
    public const int NotSupported = -524; // ENOTSUPP (kernel-internal, what these helpers return)

    public static ulong Result(int errno) => (ulong)(long)errno;
}
