namespace Bpf.Native.Programs.Classic;

/// <summary>A classic program the kernel refuses with EINVAL; the message says why (the kernel says nothing more).</summary>
public sealed class ClassicProgramException : Exception
{
    public ClassicProgramException(int instructionIndex, string reason)
        : base(instructionIndex >= 0 ? $"classic BPF instruction {instructionIndex}: {reason}" : reason)
    {
        InstructionIndex = instructionIndex;
    }

    public int InstructionIndex { get; }
}
