namespace Bpf.Native.Maps;

/// <summary>The errno values map operations return, negated as the kernel's helpers return them (0 = success).</summary>
public static class BpfErrno
{
    public const int NotPermitted = -1;   // EPERM
    public const int NoEntry = -2;        // ENOENT
    public const int TooBig = -7;         // E2BIG
    public const int TryAgain = -11;      // EAGAIN
    public const int NoMemory = -12;      // ENOMEM
    public const int Busy = -16;          // EBUSY
    public const int Exists = -17;        // EEXIST
    public const int Invalid = -22;       // EINVAL
    public const int NoSpace = -28;       // ENOSPC
    public const int NotSupported = -95;  // EOPNOTSUPP

    /// <summary>"ENOENT", "E2BIG"... for messages.</summary>
    public static string Name(int result) => result switch
    {
        0 => "OK",
        NotPermitted => "EPERM",
        NoEntry => "ENOENT",
        TooBig => "E2BIG",
        TryAgain => "EAGAIN",
        NoMemory => "ENOMEM",
        Busy => "EBUSY",
        Exists => "EEXIST",
        Invalid => "EINVAL",
        NoSpace => "ENOSPC",
        NotSupported => "EOPNOTSUPP",
        _ => $"errno {-result}",
    };
}
