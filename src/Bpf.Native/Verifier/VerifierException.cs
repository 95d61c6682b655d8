namespace Bpf.Native.Verifier;

/// <summary>A program the verifier rejects: the message names the instruction and the reason, as the kernel's log does.</summary>
public sealed class VerifierException : Exception
{
    public VerifierException(int instructionIndex, string reason)
        : base(instructionIndex >= 0 ? $"{instructionIndex}: {reason}" : reason)
    {
        InstructionIndex = instructionIndex;
        Reason = reason;
    }

    /// <summary>Index of the offending instruction (-1 when the program as a whole is wrong).</summary>
    public int InstructionIndex { get; }

    public string Reason { get; }
}
