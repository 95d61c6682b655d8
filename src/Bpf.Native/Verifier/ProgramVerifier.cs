using Bpf.Native.Isa;
using Bpf.Native.Semantics;

namespace Bpf.Native.Verifier;

/// <summary>
/// The verifier's entry point. Without a program type, the structural gate (<see cref="StructuralVerifier"/>: the
/// conformance suite's raw programs); with one, the kernel-style verifier (<see cref="KernelVerifier"/>) under that
/// type's rules, producing the per-instruction <see cref="InstructionAux"/> the context rewrite needs, exact frame
/// sizes, and the kernel-style log.
/// </summary>
public static class ProgramVerifier
{
    /// <exception cref="VerifierException">The program is rejected; the message names the instruction and the reason,
    /// <see cref="VerifierException.Log"/> holds the log of the failing path.</exception>
    public static VerifiedProgram Verify(IReadOnlyList<Instruction> instructions, VerifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ProgramType is null)
        {
            return StructuralVerifier.Verify(instructions, options.Helpers);
        }
        var code = instructions.ToArray();
        ControlFlow flow;
        try
        {
            flow = ControlFlow.Build(code, options.Helpers);
        }
        catch (VerifierException rejected) when (rejected.Log is null)
        {
            // The kernel's log for a program refused before any path is walked: the reason and empty counters.
            string log = rejected.Reason + "\n" + new VerifierStatistics(0, 0, 0, 0, []).SummaryLine + "\n";
            throw new VerifierException(rejected.InstructionIndex, rejected.Reason, log);
        }
        KernelVerifier verifier;
        try
        {
            verifier = KernelVerifier.Run(flow, options, options.LogLevel);
        }
        catch (VerifierException rejected) when (rejected.Log is null)
        {
            // As libbpf does: verify again with the log on, so the rejection carries it.
            verifier = KernelVerifier.Run(flow, options with { LogLevel = 1 }, logLevel: 1);
            throw new InvalidOperationException($"the verifier rejected the program once and accepted it the second time: {rejected.Message}");
        }

        var subprograms = new Subprogram[flow.FunctionStarts.Length];
        for (int f = 0; f < subprograms.Length; f++)
        {
            subprograms[f] = new Subprogram(f, flow.FunctionStarts[f], flow.FunctionEnd(f), CallConvention.RoundFrame(verifier.StackDepths[f]));
        }
        int stackBytes;
        try
        {
            stackBytes = CheckMaxStackDepth(code, flow, subprograms);
        }
        catch (VerifierException rejected)
        {
            // Found after every path was walked: the log holds the reason and the statistics (level 1 keeps no path).
            var stats = verifier.Statistics.SummaryLine;
            throw new VerifierException(rejected.InstructionIndex, rejected.Reason, rejected.Reason + "\n" + stats + "\n");
        }
        var targets = new int[code.Length];
        for (int i = 0; i < code.Length; i++)
        {
            targets[i] = code[i].Shape is OperationShape.Jump or OperationShape.ConditionalJump or OperationShape.CallLocal
                ? flow.Targets[i]
                : -1;
        }
        return new VerifiedProgram(code, targets, subprograms, options.Helpers.Snapshot(), stackBytes, options.ProgramType,
            verifier.Aux, options.LogLevel > 0 ? verifier.LogText : null, verifier.Statistics);
    }

    /// <summary>
    /// check_max_stack_depth: the frames along any chain of calls fit in 512 bytes, and a function that tail-calls
    /// is not reached with 256 bytes or more of frames (tail calls keep the caller's frames).
    /// </summary>
    private static int CheckMaxStackDepth(Instruction[] code, ControlFlow flow, Subprogram[] functions)
    {
        int deepest = 0;
        void Walk(int function, int frames, int above)
        {
            int depth = above + functions[function].FrameBytes;
            if (depth > CallConvention.MaxStackBytes)
            {
                throw new VerifierException(-1, $"combined stack size of {frames} calls is {depth}. Too large");
            }
            if (function != 0 && flow.FunctionHasTailCall[function] && depth >= 256)
            {
                throw new VerifierException(-1,
                    $"tail_calls are not allowed when call stack of previous frames is {depth} bytes. Too large");
            }
            deepest = Math.Max(deepest, depth);
            for (int i = functions[function].Start; i < functions[function].End; i++)
            {
                if (code[i].Shape == OperationShape.CallLocal)
                {
                    Walk(flow.FunctionStartingAt(flow.Targets[i]), frames + 1, depth);
                }
            }
        }
        Walk(0, 1, 0);
        return deepest;
    }
}
