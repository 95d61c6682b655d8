namespace Sched.Fast.Classifiers;

/// <summary>TCA_CLS_FLAGS_* (include/uapi/linux/pkt_cls.h): a filter's offload flags.</summary>
public static class ClassifierFlags
{
    public const uint SkipHw = 1 << 0;
    public const uint SkipSw = 1 << 1;
    public const uint InHw = 1 << 2;
    public const uint NotInHw = 1 << 3;
    public const uint Verbose = 1 << 4;

    /// <summary>tc_flags_valid(): only skip_hw/skip_sw/verbose, and not both skips.</summary>
    public static bool IsValid(uint flags)
    {
        if ((flags & ~(SkipHw | SkipSw | Verbose)) != 0) return false;
        flags &= SkipHw | SkipSw;
        return (flags ^ (SkipHw | SkipSw)) != 0;
    }
}
