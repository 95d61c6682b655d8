namespace Bpf.Native.Elf;

/// <summary>A function laid out in a linked program: the entry (index 0) or a subprogram appended after it.</summary>
public sealed record ProgramFunction(string Name, int InstructionIndex, int InstructionCount);
