namespace Sched.Fast.Tc;

/// <summary>The Linux errno values the tc paths of the kernel return, and their glibc strerror() texts.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int E2BIG = 7;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int ERANGE = 34;
    public const int EMSGSIZE = 90;
    public const int ELOOP = 40;
    public const int ENOBUFS = 105;
    public const int EOPNOTSUPP = 95;

    public static string Describe(int errno) => errno switch
    {
        EPERM => "Operation not permitted",
        ENOENT => "No such file or directory",
        E2BIG => "Argument list too long",
        EAGAIN => "Resource temporarily unavailable",
        ENOMEM => "Cannot allocate memory",
        EBUSY => "Device or resource busy",
        EEXIST => "File exists",
        ENODEV => "No such device",
        EINVAL => "Invalid argument",
        ENOSPC => "No space left on device",
        ERANGE => "Numerical result out of range",
        EMSGSIZE => "Message too long",
        ELOOP => "Too many levels of symbolic links",
        ENOBUFS => "No buffer space available",
        EOPNOTSUPP => "Operation not supported",
        _ => $"Unknown error {errno}",
    };
}
