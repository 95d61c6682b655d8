using System.Runtime.CompilerServices;

namespace Bpf.Native.Maps;

/// <summary>
/// A spinlock in map memory, which may be shared by several processes (a pinned map): the lock word holds the
/// owner's process id, 0 when free. Update paths hold it for a few hundred nanoseconds at most (the kernel's
/// per-bucket raw spinlocks are the model). If a process dies holding it, a waiter that has spun for long notices
/// that the owner is gone and takes the lock over; every update is ordered so that a structure left behind by an
/// interrupted update is still safe to walk.
/// </summary>
internal static unsafe class SharedSpinLock
{
    private const int SpinsBeforeOwnerCheck = 1 << 20;
    private static readonly int s_processId = Environment.ProcessId;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter(int* word)
    {
        if (Interlocked.CompareExchange(ref *word, s_processId, 0) != 0)
        {
            EnterContended(word);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit(int* word) => Volatile.Write(ref *word, 0);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EnterContended(int* word)
    {
        var spinner = new SpinWait();
        int spins = 0;
        while (true)
        {
            int owner = Volatile.Read(ref *word);
            if (owner == 0 && Interlocked.CompareExchange(ref *word, s_processId, 0) == 0)
            {
                return;
            }
            if (++spins >= SpinsBeforeOwnerCheck)
            {
                spins = 0;
                if (owner != 0 && owner != s_processId && !ProcessIsAlive(owner)
                    && Interlocked.CompareExchange(ref *word, s_processId, owner) == owner)
                {
                    return;
                }
            }
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private static bool ProcessIsAlive(int processId) => Directory.Exists("/proc/" + processId);
}
