using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Programs;

namespace Bpf.Native.Verifier;

/// <summary>
/// A program that passed verification, the only input the engines accept. <see cref="ProgramVerifier"/> makes it:
/// with a program type, the kernel-style verifier; without one, the structural gate (<see cref="StructuralVerifier"/>:
/// decodable, jumps in range, functions end in exit, helpers known, stack and call depth within Linux's limits).
/// Holds the instructions, resolved jump targets (instruction indexes, lddw fused), functions and frames, a frozen
/// snapshot of the helpers it may call, and what the verifier learned per instruction (<see cref="Aux"/>).
/// </summary>
public sealed class VerifiedProgram
{
    private readonly Instruction[] _instructions;
    private readonly int[] _targets;
    private readonly Subprogram[] _subprograms;
    private readonly InstructionAux[] _aux;

    internal VerifiedProgram(
        Instruction[] instructions,
        int[] targets,
        Subprogram[] subprograms,
        HelperDispatchTable helpers,
        int stackBytes,
        ProgramType? programType = null,
        InstructionAux[]? aux = null,
        string? log = null,
        VerifierStatistics? statistics = null)
    {
        Log = log;
        Statistics = statistics;
        _instructions = instructions;
        _targets = targets;
        _subprograms = subprograms;
        Helpers = helpers;
        StackBytes = stackBytes;
        ProgramType = programType;
        _aux = aux ?? new InstructionAux[instructions.Length];
        foreach (var item in _aux)
        {
            HasContextAccesses |= item.IsContextAccess;
            WritesPacketDirectly |= item.AccessKind == ContextAccessKind.Write
                && item.PointerKind is RegisterKind.Packet or RegisterKind.PacketMeta;
        }
        foreach (var instruction in instructions)
        {
            UsesPacketLoads |= instruction.Shape == OperationShape.PacketLoad;
            UsesCallRegister |= instruction.Shape == OperationShape.CallRegister;
            MayEndEarly |= instruction.Shape == OperationShape.CallRegister
                || (instruction.Shape == OperationShape.Call
                    && helpers.TryGet((int)instruction.Immediate, out var helper) && helper.MayEndProgram);
        }
    }

    public IReadOnlyList<Instruction> Instructions => _instructions;

    /// <summary>The program type whose rules were applied; null when only the structural gate ran.</summary>
    public ProgramType? ProgramType { get; }

    /// <summary>The kernel-style verifier's log when it was asked for (VerifierOptions.Log), else null.</summary>
    public string? Log { get; }

    /// <summary>The kernel-style verifier's counters (instructions processed, states); null in structural mode.</summary>
    public VerifierStatistics? Statistics { get; }

    /// <summary>True when some instruction reads or writes the context (see <see cref="Aux"/>).</summary>
    public bool HasContextAccesses { get; }

    /// <summary>True when the program writes packet data through a packet pointer (the kernel's seen_direct_write).</summary>
    public bool WritesPacketDirectly { get; }

    public IReadOnlyList<Subprogram> Subprograms => _subprograms;

    /// <summary>The helpers the program was verified against.</summary>
    public IReadOnlyCollection<HelperDefinition> HelperDefinitions => Helpers.All;

    /// <summary>Stack bytes the deepest chain of calls uses (at most CallConvention.MaxStackBytes).</summary>
    public int StackBytes { get; }

    /// <summary>True when the program contains LD_ABS / LD_IND.</summary>
    public bool UsesPacketLoads { get; }

    /// <summary>True when the program contains callx.</summary>
    public bool UsesCallRegister { get; }

    /// <summary>True when a call may end the run before exit (a tail call, or callx to an unknown helper).</summary>
    public bool MayEndEarly { get; }

    internal HelperDispatchTable Helpers { get; }

    internal ReadOnlySpan<Instruction> InstructionSpan => _instructions;

    /// <summary>What the verifier learned about instruction <paramref name="index"/> (all default in structural mode).</summary>
    public InstructionAux Aux(int index) => _aux[index];

    /// <summary>For a jump or local call at <paramref name="index"/>, the index of its target instruction; else -1.</summary>
    public int TargetOf(int index) => _targets[index];

    /// <summary>The function containing instruction <paramref name="index"/>.</summary>
    public Subprogram SubprogramOf(int index)
    {
        foreach (var subprogram in _subprograms)
        {
            if (index >= subprogram.Start && index < subprogram.End)
            {
                return subprogram;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(index));
    }

    /// <summary>The function starting at instruction <paramref name="start"/> (the target of a local call).</summary>
    public Subprogram SubprogramAt(int start) =>
        _subprograms.First(s => s.Start == start);

    /// <summary>The program as bytecode.</summary>
    public byte[] ToBytecode() => Encoder.Encode(_instructions);
}
