using System.Runtime.InteropServices;

namespace Bpf.Native.Execution;

/// <summary>
/// Everything one run of a program sees, passed to both engines and to every helper as a native pointer. The host
/// fills the public fields; the engine owns the rest. At entry r1 = <see cref="Context"/>, r2 =
/// <see cref="ContextLength"/> (the conformance suite's and uBPF's convention; Linux leaves r2 unset and its verifier
/// forbids reading it, so a verified program cannot tell) and r10 = <see cref="StackTop"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct BpfRunContext
{
    /// <summary>The program's context (r1): for tc programs the __sk_buff the next layer lays out.</summary>
    public void* Context;

    /// <summary>r2 at entry.</summary>
    public ulong ContextLength;

    /// <summary>The linear packet that legacy LD_ABS / LD_IND loads read (the kernel's skb->data at the mac header in tc).</summary>
    public byte* PacketData;

    /// <summary>Bytes readable at <see cref="PacketData"/>.</summary>
    public uint PacketLength;

    /// <summary>Offset of the network header in the packet, for LD_ABS at SKF_NET_OFF (linux/filter.h).</summary>
    public uint NetworkHeaderOffset;

    /// <summary>
    /// One past the last byte of a writable stack of at least <see cref="Semantics.CallConvention.MaxStackBytes"/>
    /// bytes (r10 of the main function; called functions get frames below it). 8-byte aligned.
    /// </summary>
    public byte* StackTop;

    /// <summary>Opaque host data for helpers (for example the packet object behind <see cref="Context"/>).</summary>
    public void* HostState;

    // Engine-owned: a pending tail call or abort (see BpfProgram.Run), and the tail calls taken in this run.
    internal nint TailCallTarget;
    internal int TailCallCount;
    internal int ExitRequest;

    /// <summary>Tail calls taken so far in this run.</summary>
    public readonly int TailCallsTaken => TailCallCount;

    /// <summary>
    /// The tail call hook for the bpf_tail_call helper: asks the engine to end the running program and run
    /// <paramref name="target"/> (the prog array slot, null when empty) with the same context instead. As in the
    /// kernel (kernel/bpf/core.c, JMP_TAIL_CALL) the helper rejects an index past the array without calling this;
    /// an attempt on an empty slot counts; after <see cref="Semantics.CallConvention.MaxTailCalls"/> attempts every
    /// further one fails. On failure the program continues after the call.
    /// </summary>
    public bool TryRequestTailCall(BpfProgram? target)
    {
        if (TailCallCount >= Semantics.CallConvention.MaxTailCalls)
        {
            return false;
        }
        TailCallCount++;
        if (target is null)
        {
            return false;
        }
        TailCallTarget = target.Handle;
        ExitRequest = (int)RunExitRequest.TailCall;
        return true;
    }

    /// <summary>Ends the run at the next check with r0 = 0, the way an out-of-bounds LD_ABS does.</summary>
    public void RequestAbort() => ExitRequest = (int)RunExitRequest.Abort;
}
