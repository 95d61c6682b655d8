namespace Bpf.Native.Programs.Classic;

/// <summary>One classic BPF instruction (struct sock_filter): opcode, jump-if-true, jump-if-false and constant.</summary>
public readonly record struct ClassicInstruction(ushort Code, byte JumpTrue, byte JumpFalse, uint K)
{
    /// <summary>The instruction as tc's bytecode string writes it: "code jt jf k".</summary>
    public override string ToString() => $"{Code} {JumpTrue} {JumpFalse} {K}";
}
