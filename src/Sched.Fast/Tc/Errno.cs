namespace Sched.Fast.Tc;

/// <summary>The errno values net/sched returns without an extack message, with glibc's strerror() text.</summary>
public enum Errno
{
    EPERM = 1,
    ENOENT = 2,
    E2BIG = 7,
    EAGAIN = 11,
    ENOMEM = 12,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    EINVAL = 22,
    ENOSPC = 28,
    ERANGE = 34,
    EMSGSIZE = 90,
    EOPNOTSUPP = 95,
    ENOBUFS = 105,
}
