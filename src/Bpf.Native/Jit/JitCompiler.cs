using System.Reflection.Emit;
using Bpf.Native.Execution;
using Bpf.Native.Verifier;

namespace Bpf.Native.Jit;

/// <summary>
/// The JIT engine: eBPF to IL, one <see cref="DynamicMethod"/> per function, which RyuJIT compiles to native code
/// on the first run. Each eBPF register is an IL local of type ulong, so RyuJIT allocates them to machine registers;
/// every operation is a call to its method in the semantics table, which RyuJIT inlines; helpers are direct calls;
/// program-local calls are calls between the dynamic methods (r1-r5 and the callee's r10 as arguments), so r6-r9
/// are preserved for free.
/// </summary>
public static class JitCompiler
{
    public static BpfProgram Compile(VerifiedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var methods = new DynamicMethod[program.Subprograms.Count];
        for (int f = 0; f < methods.Length; f++)
        {
            methods[f] = FunctionEmitter.Declare(program.Subprograms[f]);
        }
        for (int f = 0; f < methods.Length; f++)
        {
            new FunctionEmitter(program, program.Subprograms[f], methods).Emit();
        }
        var entry = methods[0].CreateDelegate<JitEntry>();
        return new JitProgram(program, entry, methods);
    }
}
