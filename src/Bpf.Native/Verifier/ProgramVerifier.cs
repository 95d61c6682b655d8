using Bpf.Native.Isa;

namespace Bpf.Native.Verifier;

/// <summary>
/// The verifier's entry point. Without a program type, the structural gate (<see cref="StructuralVerifier"/>);
/// with one, the structural checks and then the program type's rules, producing the per-instruction
/// <see cref="InstructionAux"/> the context rewrite needs.
/// </summary>
public static class ProgramVerifier
{
    /// <exception cref="VerifierException">The program is rejected; the message names the instruction and the reason.</exception>
    public static VerifiedProgram Verify(IReadOnlyList<Instruction> instructions, VerifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ProgramType is null)
        {
            return StructuralVerifier.Verify(instructions, options.Helpers);
        }
        var programType = options.ProgramType;
        var structure = StructuralVerifier.Verify(instructions, options.Helpers, typed: true);
        var code = structure.InstructionSpan;
        for (int i = 0; i < code.Length; i++)
        {
            if (code[i].Shape == OperationShape.Call)
            {
                CheckHelperAllowed(i, code[i].Immediate, options);
            }
            else if (code[i].Shape == OperationShape.CallRegister)
            {
                throw new VerifierException(i, "BPF_CALL uses reserved fields");
            }
            else if (code[i].Shape == OperationShape.PacketLoad && !programType.AllowsLegacyPacketLoads)
            {
                throw new VerifierException(i, "BPF_LD_[ABS|IND] instructions not allowed for this program type");
            }
        }
        var aux = ContextAccessScanner.Scan(structure, programType);
        return new VerifiedProgram(
            structure.InstructionSpan.ToArray(),
            Enumerable.Range(0, code.Length).Select(structure.TargetOf).ToArray(),
            structure.Subprograms.ToArray(),
            structure.Helpers,
            structure.StackBytes,
            programType,
            aux);
    }

    /// <summary>check_helper_call's first checks, with the kernel's messages.</summary>
    internal static void CheckHelperAllowed(int index, long helperId, VerifierOptions options)
    {
        if (!HelperNames.IsKnown(helperId))
        {
            throw new VerifierException(index, $"invalid func {HelperNames.NameOf(helperId)}#{helperId}");
        }
        if (!options.ProgramType!.AllowsHelper((int)helperId))
        {
            throw new VerifierException(index, $"program of this type cannot use helper {HelperNames.NameOf(helperId)}#{helperId}");
        }
        if (!options.Helpers.TryGet((int)helperId, out _))
        {
            throw new VerifierException(index, $"unknown func {HelperNames.NameOf(helperId)}#{helperId}");
        }
    }
}
