using Bpf.Native.Execution;
using Bpf.Native.Verifier;

namespace Bpf.Native.Interpreter;

/// <summary>The interpreter engine: prepares a verified program for <see cref="InterpretedProgram"/>'s loop.</summary>
public static class BpfInterpreter
{
    public static BpfProgram Load(VerifiedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new InterpretedProgram(program);
    }
}
