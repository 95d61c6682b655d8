using Bpf.Native.Isa;

namespace Bpf.Native.Verifier;

/// <summary>The ALU operation of an instruction as the verifier's bounds tracking sees it (BPF_OP of the opcode).</summary>
internal enum AluOp : byte
{
    Add,
    Sub,
    Mul,
    Div,
    Or,
    And,
    Lsh,
    Rsh,
    Neg,
    Mod,
    Xor,
    Mov,
    Arsh,
    End,
}

internal static class AluOps
{
    /// <summary>The operation of an ALU instruction (sdiv / smod count as div / mod, movsx as mov, swaps as end).</summary>
    public static AluOp Of(Operation operation) => operation switch
    {
        Operation.Add64 or Operation.Add32 => AluOp.Add,
        Operation.Sub64 or Operation.Sub32 => AluOp.Sub,
        Operation.Mul64 or Operation.Mul32 => AluOp.Mul,
        Operation.Div64 or Operation.Div32 or Operation.SDiv64 or Operation.SDiv32 => AluOp.Div,
        Operation.Or64 or Operation.Or32 => AluOp.Or,
        Operation.And64 or Operation.And32 => AluOp.And,
        Operation.Lsh64 or Operation.Lsh32 => AluOp.Lsh,
        Operation.Rsh64 or Operation.Rsh32 => AluOp.Rsh,
        Operation.Neg64 or Operation.Neg32 => AluOp.Neg,
        Operation.Mod64 or Operation.Mod32 or Operation.SMod64 or Operation.SMod32 => AluOp.Mod,
        Operation.Xor64 or Operation.Xor32 => AluOp.Xor,
        Operation.Mov64 or Operation.Mov32 or Operation.MovSx8To64 or Operation.MovSx16To64 or Operation.MovSx32To64
            or Operation.MovSx8To32 or Operation.MovSx16To32 => AluOp.Mov,
        Operation.Arsh64 or Operation.Arsh32 => AluOp.Arsh,
        _ => AluOp.End,
    };

    /// <summary>bpf_alu_string: the operator as the kernel prints it in messages.</summary>
    public static string Text(AluOp op) => op switch
    {
        AluOp.Add => "+=",
        AluOp.Sub => "-=",
        AluOp.Mul => "*=",
        AluOp.Div => "/=",
        AluOp.Or => "|=",
        AluOp.And => "&=",
        AluOp.Lsh => "<<=",
        AluOp.Rsh => ">>=",
        AluOp.Neg => "neg",
        AluOp.Mod => "%=",
        AluOp.Xor => "^=",
        AluOp.Mov => "=",
        AluOp.Arsh => "s>>=",
        _ => "endian",
    };
}
