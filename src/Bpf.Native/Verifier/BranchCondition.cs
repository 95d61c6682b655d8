using Bpf.Native.Isa;

namespace Bpf.Native.Verifier;

/// <summary>
/// The comparison of a conditional jump (BPF_OP of a JMP / JMP32 opcode), plus <see cref="JsetNot"/>, the negation
/// of jset the fall-through branch learns from (the kernel's BPF_JSET | BPF_X in rev_opcode).
/// </summary>
internal enum BranchCondition : byte
{
    Jeq,
    Jne,
    Jgt,
    Jge,
    Jlt,
    Jle,
    Jsgt,
    Jsge,
    Jslt,
    Jsle,
    Jset,
    JsetNot,
}

internal static class BranchConditions
{
    public static BranchCondition Of(Operation operation) => (JumpCode)OperationCatalog.Info(operation).Code switch
    {
        JumpCode.Jeq => BranchCondition.Jeq,
        JumpCode.Jne => BranchCondition.Jne,
        JumpCode.Jgt => BranchCondition.Jgt,
        JumpCode.Jge => BranchCondition.Jge,
        JumpCode.Jlt => BranchCondition.Jlt,
        JumpCode.Jle => BranchCondition.Jle,
        JumpCode.Jsgt => BranchCondition.Jsgt,
        JumpCode.Jsge => BranchCondition.Jsge,
        JumpCode.Jslt => BranchCondition.Jslt,
        JumpCode.Jsle => BranchCondition.Jsle,
        _ => BranchCondition.Jset,
    };

    /// <summary>flip_opcode: the same test with the operands swapped.</summary>
    public static BranchCondition Flip(BranchCondition condition) => condition switch
    {
        BranchCondition.Jgt => BranchCondition.Jlt,
        BranchCondition.Jlt => BranchCondition.Jgt,
        BranchCondition.Jge => BranchCondition.Jle,
        BranchCondition.Jle => BranchCondition.Jge,
        BranchCondition.Jsgt => BranchCondition.Jslt,
        BranchCondition.Jslt => BranchCondition.Jsgt,
        BranchCondition.Jsge => BranchCondition.Jsle,
        BranchCondition.Jsle => BranchCondition.Jsge,
        _ => condition,
    };

    /// <summary>rev_opcode: the test that holds on the fall-through branch.</summary>
    public static BranchCondition Reverse(BranchCondition condition) => condition switch
    {
        BranchCondition.Jeq => BranchCondition.Jne,
        BranchCondition.Jne => BranchCondition.Jeq,
        BranchCondition.Jgt => BranchCondition.Jle,
        BranchCondition.Jle => BranchCondition.Jgt,
        BranchCondition.Jge => BranchCondition.Jlt,
        BranchCondition.Jlt => BranchCondition.Jge,
        BranchCondition.Jsgt => BranchCondition.Jsle,
        BranchCondition.Jsle => BranchCondition.Jsgt,
        BranchCondition.Jsge => BranchCondition.Jslt,
        BranchCondition.Jslt => BranchCondition.Jsge,
        BranchCondition.Jset => BranchCondition.JsetNot,
        _ => BranchCondition.Jset,
    };
}
