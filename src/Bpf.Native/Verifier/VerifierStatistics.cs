namespace Bpf.Native.Verifier;

/// <summary>
/// The counters the kernel prints at the end of its log ("processed 16 insns (limit 1000000) max_states_per_insn 1
/// total_states 1 peak_states 1 mark_read 0"), plus the stack depth of each function.
/// </summary>
public sealed record VerifierStatistics(
    int InstructionsProcessed,
    int MaxStatesPerInstruction,
    int TotalStates,
    int PeakStates,
    IReadOnlyList<int> StackDepths)
{
    public string SummaryLine =>
        $"processed {InstructionsProcessed} insns (limit {KernelVerifier.ComplexityLimitInstructions}) " +
        $"max_states_per_insn {MaxStatesPerInstruction} total_states {TotalStates} peak_states {PeakStates} mark_read 0";
}
