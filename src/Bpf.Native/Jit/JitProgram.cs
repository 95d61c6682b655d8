using System.Reflection.Emit;
using Bpf.Native.Execution;
using Bpf.Native.Verifier;

namespace Bpf.Native.Jit;

/// <summary>A program compiled to native code through IL and RyuJIT; running it is one delegate call.</summary>
internal sealed unsafe class JitProgram : BpfProgram
{
    private readonly JitEntry _entry;

    // The called functions are reached only from IL; holding them keeps them alive with the program.
    private readonly DynamicMethod[] _functions;

    public JitProgram(VerifiedProgram program, JitEntry entry, DynamicMethod[] functions)
        : base(program)
    {
        _entry = entry;
        _functions = functions;
    }

    /// <summary>Number of dynamic methods compiled: one per function, plus the chunks of long functions.</summary>
    public int MethodCount => _functions.Length;

    public override EngineKind Engine => EngineKind.Jit;

    private protected override ulong Execute(BpfRunContext* run) => _entry(run);
}
