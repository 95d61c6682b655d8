using System.Diagnostics;
using System.Runtime.InteropServices;
using Bpf.Native.Execution;
using Bpf.Native.Maps;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// Clocks, randomness and the CPU number. ktime_get_ns is CLOCK_MONOTONIC and ktime_get_boot_ns CLOCK_BOOTTIME, as
/// in the kernel. jiffies64 is derived from CLOCK_BOOTTIME at HZ = <see cref="Hz"/> (Debian's CONFIG_HZ) from the
/// kernel's INITIAL_JIFFIES, so differences behave like the kernel's. get_smp_processor_id is the per-CPU slot the
/// thread uses for per-CPU maps (<see cref="BpfCpu.Current"/>). get_prandom_u32 is a per-thread xorshift generator.
/// </summary>
public static unsafe partial class TimeHelpers
{
    /// <summary>CONFIG_HZ of the modelled kernel (Debian 12: 250).</summary>
    public const int Hz = 250;

    /// <summary>INITIAL_JIFFIES on a 64-bit kernel: (unsigned long)(unsigned int)(-300 * HZ).</summary>
    public const ulong InitialJiffies = unchecked((uint)(-300 * Hz));

    private const int ClockBootTime = 7;

    [ThreadStatic]
    private static ulong t_random;

    /// <summary>bpf_ktime_get_ns(): CLOCK_MONOTONIC in nanoseconds.</summary>
    public static ulong KtimeGetNs(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => MonotonicNs();

    /// <summary>bpf_ktime_get_boot_ns(): CLOCK_BOOTTIME in nanoseconds (counts suspend).</summary>
    public static ulong KtimeGetBootNs(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => BootNs();

    /// <summary>bpf_jiffies64().</summary>
    public static ulong Jiffies64(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        InitialJiffies + BootNs() / (1_000_000_000UL / Hz);

    /// <summary>bpf_get_prandom_u32().</summary>
    public static ulong GetPrandomU32(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        ulong x = t_random;
        if (x == 0)
        {
            x = (ulong)Random.Shared.NextInt64() | 1;
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        t_random = x;
        return (uint)(x >> 32);
    }

    /// <summary>bpf_get_smp_processor_id().</summary>
    public static ulong GetSmpProcessorId(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        (ulong)BpfCpu.Current(BpfCpu.PossibleCount);

    /// <summary>CLOCK_MONOTONIC in nanoseconds (Stopwatch reads it on Linux).</summary>
    public static ulong MonotonicNs()
    {
        long ticks = Stopwatch.GetTimestamp();
        return Stopwatch.Frequency == 1_000_000_000
            ? (ulong)ticks
            : (ulong)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));
    }

    /// <summary>CLOCK_BOOTTIME in nanoseconds.</summary>
    public static ulong BootNs()
    {
        Timespec now;
        return ClockGetTime(ClockBootTime, &now) == 0
            ? (ulong)now.Seconds * 1_000_000_000UL + (ulong)now.Nanoseconds
            : MonotonicNs();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    [SuppressGCTransition]
    private static partial int ClockGetTime(int clock, Timespec* time);
}
