using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Bpf.Native.Verifier;

namespace Bpf.Native.Execution;

/// <summary>
/// A runnable program, whichever engine made it: <see cref="Run(ref BpfRunContext)"/> has the same shape for the
/// interpreter and the JIT and allocates nothing. Tail calls taken through
/// <see cref="BpfRunContext.TryRequestTailCall"/> are followed here: the running program stops and the target runs
/// with the same context, as the kernel's bpf_tail_call does.
/// </summary>
public abstract unsafe class BpfProgram
{
    private readonly GCHandle _handle;

    private protected BpfProgram(VerifiedProgram program)
    {
        Program = program;
        _handle = GCHandle.Alloc(this, GCHandleType.Weak);
    }

    ~BpfProgram()
    {
        _handle.Free();
    }

    /// <summary>The verified program this was made from.</summary>
    public VerifiedProgram Program { get; }

    public abstract EngineKind Engine { get; }

    /// <summary>A handle tail calls refer to this program by (weak: whoever holds the program keeps it alive).</summary>
    internal nint Handle => GCHandle.ToIntPtr(_handle);

    /// <summary>Runs the program and returns r0. <paramref name="context"/> must stay put for the call (a local).</summary>
    public ulong Run(ref BpfRunContext context)
    {
        fixed (BpfRunContext* run = &context)
        {
            return Run(run);
        }
    }

    /// <summary>Runs the program and returns r0.</summary>
    public ulong Run(BpfRunContext* run)
    {
        run->ExitRequest = 0;
        run->TailCallCount = 0;
        run->TailCallTarget = 0;
        ulong r0 = Execute(run);
        return run->ExitRequest == 0 ? r0 : FinishEarlyExit(run);
    }

    /// <summary>
    /// Runs the program the way the conformance suite and uBPF do: r1 = <paramref name="memory"/> (0 when empty),
    /// r2 = its length, LD_ABS / LD_IND read the same bytes, on a fresh stack that is not zeroed.
    /// </summary>
    [SkipLocalsInit]
    public ulong Run(Span<byte> memory)
    {
        Unsafe.SkipInit(out BpfStackBuffer stack);
        fixed (byte* data = memory)
        {
            var context = new BpfRunContext
            {
                Context = memory.IsEmpty ? null : data,
                ContextLength = (ulong)memory.Length,
                PacketData = data,
                PacketLength = (uint)memory.Length,
                StackTop = BpfStackBuffer.Top(ref stack),
            };
            return Run(&context);
        }
    }

    /// <summary>Runs the program body once from its first instruction; engines implement this.</summary>
    private protected abstract ulong Execute(BpfRunContext* run);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong FinishEarlyExit(BpfRunContext* run)
    {
        while (true)
        {
            if (run->ExitRequest != (int)RunExitRequest.TailCall)
            {
                return 0;
            }
            var target = GCHandle.FromIntPtr(run->TailCallTarget).Target as BpfProgram;
            run->ExitRequest = 0;
            run->TailCallTarget = 0;
            if (target is null)
            {
                return 0;
            }
            ulong r0 = target.Execute(run);
            if (run->ExitRequest == 0)
            {
                return r0;
            }
        }
    }
}
