using System.Numerics;
using System.Reflection.Emit;
using Bpf.Native.Execution;
using Bpf.Native.Verifier;

namespace Bpf.Native.Jit;

/// <summary>
/// The JIT engine: eBPF to IL, one <see cref="DynamicMethod"/> per function, which RyuJIT compiles to native code
/// on the first run. Each eBPF register is an IL local of type ulong, so RyuJIT allocates them to machine registers;
/// simple operations are inline IL and the rest calls to the semantics table, which RyuJIT inlines; helpers are
/// direct calls; program-local calls are calls between the dynamic methods (r1-r5 and the callee's r10 as
/// arguments), so r6-r9 are preserved for free. Functions too long for RyuJIT to optimize in one piece are compiled
/// as chunks (see <see cref="JitOptions"/>).
/// </summary>
public static class JitCompiler
{
    public static BpfProgram Compile(VerifiedProgram program) => Compile(program, JitOptions.Default);

    internal static BpfProgram Compile(VerifiedProgram program, JitOptions options)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!BitOperations.IsPow2(options.ChunkInstructions))
        {
            throw new ArgumentException("Chunks must be a power of two instructions long.", nameof(options));
        }
        var functions = program.Subprograms.Select(FunctionEmitter.DeclareFunction).ToArray();
        var keepAlive = new List<DynamicMethod>(functions);
        foreach (var function in program.Subprograms)
        {
            var method = functions[function.Index];
            if (function.Length <= options.SingleMethodInstructionLimit)
            {
                new FunctionEmitter(program, function, functions, method, function.Start, function.End, isChunk: false).Emit();
                continue;
            }
            int chunkCount = (function.Length + options.ChunkInstructions - 1) / options.ChunkInstructions;
            int ChunkOf(int index) => (index - function.Start) / options.ChunkInstructions;
            var entries = new HashSet<int>();
            for (int index = function.Start; index < function.End; index++)
            {
                int target = program.TargetOf(index);
                if (target >= 0 && program.Instructions[index].IsJump && ChunkOf(target) != ChunkOf(index))
                {
                    entries.Add(target);
                }
            }
            var chunks = new DynamicMethod[chunkCount];
            for (int c = 0; c < chunkCount; c++)
            {
                chunks[c] = FunctionEmitter.DeclareChunk(function, c);
                int from = function.Start + c * options.ChunkInstructions;
                int to = Math.Min(function.End, from + options.ChunkInstructions);
                new FunctionEmitter(program, function, functions, chunks[c], from, to, isChunk: true, entries).Emit();
            }
            ChunkDispatcherEmitter.Emit(method, function, chunks, BitOperations.Log2((uint)options.ChunkInstructions));
            keepAlive.AddRange(chunks);
        }
        var entry = functions[0].CreateDelegate<JitEntry>();
        return new JitProgram(program, entry, keepAlive.ToArray());
    }
}
