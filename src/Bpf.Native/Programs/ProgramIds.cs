namespace Bpf.Native.Programs;

/// <summary>
/// Program ids as the kernel hands them out (bpf_prog_alloc_id(): 1, 2, 3, ... per boot, never reused while
/// running): here per process. tc prints them ("id 7"); classic programs get none, as in the kernel.
/// </summary>
public static class ProgramIds
{
    private static int s_last;

    public static int Next() => Interlocked.Increment(ref s_last);
}
