namespace Bpf.Native.Verifier;

/// <summary>
/// A program the verifier rejects: the message names the instruction and the reason, as the kernel's log does;
/// <see cref="Log"/> is the whole log (the kernel's level 1: the failing path, instruction by instruction, with the
/// register states) when the kernel-style verifier ran.
/// </summary>
public sealed class VerifierException : Exception
{
    public VerifierException(int instructionIndex, string reason, string? log = null)
        : base(instructionIndex >= 0 ? $"{instructionIndex}: {reason}" : reason)
    {
        InstructionIndex = instructionIndex;
        Reason = reason;
        Log = log;
    }

    /// <summary>Index of the offending instruction (-1 when the program as a whole is wrong).</summary>
    public int InstructionIndex { get; }

    /// <summary>The kernel's reason, one or more lines ("R0 !read_ok").</summary>
    public string Reason { get; }

    /// <summary>The verifier log, or null.</summary>
    public string? Log { get; }
}
