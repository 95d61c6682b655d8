using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Semantics;

namespace Bpf.Native.Verifier;

/// <summary>
/// The gate every program passes before an engine runs it, until the kernel-style verifier replaces it. It checks
/// structure only, with the kernel's rules and wording where they exist (kernel/bpf/verifier.c: check_subprogs,
/// check_cfg, check_max_stack_depth, check_ld_abs):
/// <list type="bullet">
/// <item>jumps land on an instruction of their own function, never inside an lddw;</item>
/// <item>local calls land on an instruction; every function ends with exit or goto;</item>
/// <item>no recursion, at most <see cref="CallConvention.MaxCallFrames"/> frames and
/// <see cref="CallConvention.MaxStackBytes"/> stack bytes along any chain of calls;</item>
/// <item>helpers are registered; lddw map references are resolved; no kernel function calls;</item>
/// <item>r10 is never written; LD_ABS / LD_IND are not mixed with local calls.</item>
/// </list>
/// It does not track register types or value ranges: memory safety and loop bounds are the real verifier's job.
/// </summary>
public static class StructuralVerifier
{
    public static VerifiedProgram Verify(IReadOnlyList<Instruction> instructions, HelperTable helpers) =>
        Verify(instructions, helpers, typed: false);

    /// <summary>
    /// The structural checks. <paramref name="typed"/>: the kernel-style verifier runs after, so helper calls are left
    /// to it (it knows the program type's rules and the kernel's messages) and lddw map references whose handle is
    /// resolved (src 1 BPF_PSEUDO_MAP_FD, 2 BPF_PSEUDO_MAP_VALUE) are accepted for it to type.
    /// </summary>
    internal static VerifiedProgram Verify(IReadOnlyList<Instruction> instructions, HelperTable helpers, bool typed)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        ArgumentNullException.ThrowIfNull(helpers);
        var code = instructions.ToArray();
        if (code.Length == 0)
        {
            throw new VerifierException(-1, "program is empty");
        }

        var dispatch = helpers.Snapshot();
        var slotOfIndex = new int[code.Length + 1];
        for (int i = 0; i < code.Length; i++)
        {
            slotOfIndex[i + 1] = slotOfIndex[i] + code[i].Slots;
        }
        int totalSlots = slotOfIndex[code.Length];
        var indexOfSlot = new int[totalSlots];
        Array.Fill(indexOfSlot, -1);
        for (int i = 0; i < code.Length; i++)
        {
            indexOfSlot[slotOfIndex[i]] = i;
        }

        int ResolveTarget(int index, int displacement, string what)
        {
            long slot = (long)slotOfIndex[index] + code[index].Slots + displacement;
            if (slot < 0 || slot >= totalSlots)
            {
                throw new VerifierException(index, $"{what} out of range from insn {slotOfIndex[index]} to {slot}");
            }
            int target = indexOfSlot[slot];
            if (target < 0)
            {
                throw new VerifierException(index, $"{what} into the middle of ldimm64 insn {slot - 1}");
            }
            return target;
        }

        var targets = new int[code.Length];
        Array.Fill(targets, -1);
        var functionStarts = new SortedSet<int> { 0 };
        bool usesPacketLoads = false;
        for (int i = 0; i < code.Length; i++)
        {
            var instruction = code[i];
            switch (instruction.Shape)
            {
                case OperationShape.Jump or OperationShape.ConditionalJump:
                    targets[i] = ResolveTarget(i, instruction.Offset, "jump");
                    break;
                case OperationShape.CallLocal:
                    targets[i] = ResolveTarget(i, instruction.Offset, "call");
                    functionStarts.Add(targets[i]);
                    break;
                case OperationShape.CallKfunc:
                    throw new VerifierException(i, "kernel function calls are not supported");
                case OperationShape.Call when !typed:
                    if (!dispatch.TryGet((int)instruction.Immediate, out _))
                    {
                        throw new VerifierException(i, $"invalid func unknown#{instruction.Immediate}");
                    }
                    break;
                case OperationShape.LoadImm64 when typed
                    && instruction.ImmediateKind is LoadImmediateKind.MapFd or LoadImmediateKind.MapValue:
                    break;
                case OperationShape.LoadImm64 when instruction.ImmediateKind != LoadImmediateKind.Value:
                    throw new VerifierException(i,
                        $"unresolved lddw reference (src {(int)instruction.ImmediateKind}, {instruction.ImmediateKind}): the loader must resolve it first");
                case OperationShape.PacketLoad:
                    usesPacketLoads = true;
                    break;
            }
            if (WritesRegister(instruction) == CallConvention.FramePointerRegister)
            {
                throw new VerifierException(i, "frame pointer is read only");
            }
        }

        var starts = functionStarts.ToArray();
        if (usesPacketLoads && starts.Length > 1)
        {
            throw new VerifierException(-1, "BPF_LD_[ABS|IND] instructions cannot be mixed with bpf-to-bpf calls");
        }

        var functions = new Subprogram[starts.Length];
        for (int f = 0; f < starts.Length; f++)
        {
            int start = starts[f];
            int end = f + 1 < starts.Length ? starts[f + 1] : code.Length;
            for (int i = start; i < end; i++)
            {
                if (targets[i] >= 0 && code[i].IsJump && (targets[i] < start || targets[i] >= end))
                {
                    throw new VerifierException(i, $"jump out of range from insn {slotOfIndex[i]} to {slotOfIndex[targets[i]]}");
                }
            }
            var last = code[end - 1];
            if (last.Shape is not (OperationShape.Exit or OperationShape.Jump))
            {
                throw new VerifierException(end - 1, "last insn is not an exit or jmp");
            }
            long depth = StackDepthEstimator.Estimate(code, targets, start, end);
            if (depth > CallConvention.MaxStackBytes)
            {
                throw new VerifierException(start, $"stack depth {depth} of function {f} exceeds {CallConvention.MaxStackBytes} bytes");
            }
            functions[f] = new Subprogram(f, start, end, CallConvention.RoundFrame((int)depth));
        }

        int stackBytes = CheckCallChains(code, targets, functions);
        return new VerifiedProgram(code, targets, functions, dispatch, stackBytes);
    }

    /// <summary>Rejects recursion and chains too deep or too large; returns the stack bytes of the deepest chain.</summary>
    private static int CheckCallChains(Instruction[] code, int[] targets, Subprogram[] functions)
    {
        int FunctionAt(int start) => Array.FindIndex(functions, f => f.Start == start);
        var callees = functions.Select(f => Enumerable.Range(f.Start, f.Length)
            .Where(i => code[i].Shape == OperationShape.CallLocal)
            .Select(i => (Site: i, Callee: FunctionAt(targets[i])))
            .ToArray()).ToArray();

        if (functions.Length == 1)
        {
            return functions[0].FrameBytes;
        }

        var onPath = new bool[functions.Length];
        int Walk(int function, int frames, int stackAbove)
        {
            int stack = stackAbove + functions[function].FrameBytes;
            if (frames > CallConvention.MaxCallFrames)
            {
                throw new VerifierException(functions[function].Start, $"the call stack of {frames} frames is too deep");
            }
            if (stack > CallConvention.MaxStackBytes)
            {
                throw new VerifierException(functions[function].Start, $"combined stack size of {frames} calls is {stack}. Too large");
            }
            onPath[function] = true;
            int deepest = stack;
            foreach (var (site, callee) in callees[function])
            {
                if (onPath[callee])
                {
                    throw new VerifierException(site, $"recursive call from insn {site} to function {callee}");
                }
                deepest = Math.Max(deepest, Walk(callee, frames + 1, stack));
            }
            onPath[function] = false;
            return deepest;
        }
        return Walk(0, 1, 0);
    }

    /// <summary>The register an instruction writes, or -1.</summary>
    private static int WritesRegister(Instruction instruction) => instruction.Shape switch
    {
        OperationShape.Alu or OperationShape.Load or OperationShape.LoadImm64 => instruction.Dst,
        OperationShape.AtomicFetch => instruction.Src,
        _ => -1,
    };
}
