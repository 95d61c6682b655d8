namespace Bpf.Native.Programs;

/// <summary>An object's "license" section, as the kernel judges it.</summary>
public static class ObjectLicense
{
    /// <summary>
    /// The kernel's license_is_gpl_compatible (include/linux/license.h): only these strings may call gpl_only
    /// helpers such as bpf_trace_printk and bpf_ktime_get_ns' GPL siblings.
    /// </summary>
    public static bool IsGplCompatible(string license) => license is "GPL" or "GPL v2" or "GPL and additional rights"
        or "Dual BSD/GPL" or "Dual MIT/GPL" or "Dual MPL/GPL";
}
