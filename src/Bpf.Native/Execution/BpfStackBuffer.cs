using System.Runtime.CompilerServices;

namespace Bpf.Native.Execution;

/// <summary>
/// A program stack of <see cref="Semantics.CallConvention.MaxStackBytes"/> bytes, 8-byte aligned, to declare as a
/// local (not zeroed under SkipLocalsInit, like the kernel's): <c>run.StackTop = BpfStackBuffer.Top(ref stack)</c>.
/// </summary>
[InlineArray(Semantics.CallConvention.MaxStackBytes / sizeof(ulong))]
public struct BpfStackBuffer
{
    private ulong _element0;

    /// <summary>One past the last byte of <paramref name="stack"/>; valid while the buffer does not move (a local).</summary>
    public static unsafe byte* Top(ref BpfStackBuffer stack) =>
        (byte*)Unsafe.AsPointer(ref stack) + Semantics.CallConvention.MaxStackBytes;
}
