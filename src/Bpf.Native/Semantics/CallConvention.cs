namespace Bpf.Native.Semantics;

/// <summary>
/// The calling convention and its limits, shared by the verifier gate and both engines (RFC 9669 section 4.3.1;
/// Linux include/linux/bpf.h and kernel/bpf/verifier.c): r1-r5 carry arguments, r0 the result, r6-r9 survive calls,
/// r10 is the read-only frame pointer. A program-local call runs in a new frame below the caller's frame.
/// </summary>
public static class CallConvention
{
    /// <summary>Stack bytes of all frames together (MAX_BPF_STACK).</summary>
    public const int MaxStackBytes = 512;

    /// <summary>Frames live at once, the main function included (MAX_CALL_FRAMES).</summary>
    public const int MaxCallFrames = 8;

    /// <summary>Tail calls one run may take (MAX_TAIL_CALL_CNT).</summary>
    public const int MaxTailCalls = 33;

    /// <summary>
    /// Frame sizes are rounded up to this many bytes when frames are stacked, as check_max_stack_depth does for
    /// JIT-compiled programs (round_up_stack_depth).
    /// </summary>
    public const int FrameAlignmentBytes = 16;

    public const int FramePointerRegister = 10;

    public const int ArgumentRegisterCount = 5;

    /// <summary>r10 of a called function: the caller's r10 moved down by the caller's frame.</summary>
    public static ulong CalleeFramePointer(ulong callerFramePointer, int callerFrameBytes) =>
        callerFramePointer - (ulong)callerFrameBytes;

    /// <summary>A frame's size once stacked below its caller's.</summary>
    public static int RoundFrame(int depthBytes) =>
        (depthBytes + FrameAlignmentBytes - 1) / FrameAlignmentBytes * FrameAlignmentBytes;
}
