using System.Collections.Concurrent;
using Bpf.Native.Execution;

namespace Bpf.Native.Tests.Support;

/// <summary>
/// A stand-in for a BPF_MAP_TYPE_PROG_ARRAY, for the tail call hook tests: slots by index, shared by parallel tests,
/// so each test uses its own indexes. <see cref="TailCall"/> has bpf_tail_call's shape (ctx, map, index).
/// </summary>
internal static unsafe class TailCallTable
{
    public const int HelperId = 12;

    private static readonly ConcurrentDictionary<ulong, BpfProgram> s_slots = new();
    private static long s_nextIndex = 1000;

    public static ulong NewIndex() => (ulong)Interlocked.Increment(ref s_nextIndex);

    public static void Set(ulong index, BpfProgram program) => s_slots[index] = program;

    /// <summary>On success the engine ends the caller and runs the target; on failure the caller continues.</summary>
    public static ulong TailCall(BpfRunContext* run, ulong context, ulong map, ulong index, ulong r4, ulong r5)
    {
        s_slots.TryGetValue(index, out var target);
        return run->TryRequestTailCall(target) ? 0 : unchecked((ulong)-2L); // -ENOENT
    }
}
