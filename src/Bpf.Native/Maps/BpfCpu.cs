namespace Bpf.Native.Maps;

/// <summary>
/// Which "CPU" a per-CPU map slot belongs to. The kernel gives each possible CPU its own copy and a program uses
/// the copy of the CPU it runs on, with preemption off. Here a datapath thread should claim a slot of its own with
/// <see cref="SetCurrentThreadSlot"/> (so no two threads ever write one copy at once); other threads fall back to
/// the processor they run on, which is the kernel's rule without the preemption guarantee.
/// </summary>
public static class BpfCpu
{
    [ThreadStatic]
    private static int t_slotPlusOne;

    /// <summary>Possible CPUs (/sys/devices/system/cpu/possible, as libbpf counts them): the copies a per-CPU map holds.</summary>
    public static int PossibleCount { get; } = ReadPossibleCount();

    /// <summary>Pins the calling thread to per-CPU slot <paramref name="slot"/> (taken modulo a map's CPU count).</summary>
    public static void SetCurrentThreadSlot(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        t_slotPlusOne = slot + 1;
    }

    public static void ClearCurrentThreadSlot() => t_slotPlusOne = 0;

    /// <summary>The slot the calling thread uses in a map holding <paramref name="cpuCount"/> copies.</summary>
    public static int Current(int cpuCount)
    {
        int slot = t_slotPlusOne != 0 ? t_slotPlusOne - 1 : Thread.GetCurrentProcessorId();
        return (int)((uint)slot % (uint)cpuCount);
    }

    private static int ReadPossibleCount()
    {
        try
        {
            // "0-3" or "0,2-5": count the CPUs in the ranges.
            string text = File.ReadAllText("/sys/devices/system/cpu/possible").Trim();
            int count = 0;
            foreach (string range in text.Split(','))
            {
                string[] ends = range.Split('-');
                int first = int.Parse(ends[0]);
                int last = ends.Length > 1 ? int.Parse(ends[1]) : first;
                count = Math.Max(count, last + 1);
            }
            return Math.Max(count, 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return Environment.ProcessorCount;
        }
    }
}
