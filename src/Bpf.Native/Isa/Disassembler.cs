using System.Globalization;
using System.Text;

namespace Bpf.Native.Isa;

/// <summary>
/// Canonical instructions in LLVM's BPF assembly syntax, the text <c>llvm-objdump -d</c> prints
/// (llvm/lib/Target/BPF/BPFInstrInfo.td): <c>r0 += r1</c>, <c>w0 = -w0</c>, <c>if r1 s&gt; 5 goto +2</c>,
/// <c>r0 = *(u8 *)skb[15]</c>, <c>lock *(u64 *)(r10 - 8) += r1</c>. Where LLVM 14's objdump prints
/// <c>&lt;unknown&gt;</c> or a wrong text (cpu v4 instructions, 32-bit atomics other than add, jset, stores of an
/// immediate), this prints the syntax of later LLVM releases (<c>r0 s/= r1</c>, <c>gotol +1</c>,
/// <c>w1 = atomic_fetch_and((u32 *)(r2 + 0), w1)</c>) or, for jset, the kernel verifier's <c>if r1 &amp; r2</c>.
/// Branch targets are printed as displacements without llvm-objdump's <c>&lt;label&gt;</c> annotations.
/// </summary>
public static class Disassembler
{
    /// <summary>One instruction's text.</summary>
    public static string Format(Instruction instruction)
    {
        var info = instruction.Info;
        string d = $"r{instruction.Dst}";
        string s = $"r{instruction.Src}";
        string dw = $"w{instruction.Dst}";
        string sw = $"w{instruction.Src}";
        string imm = Number(instruction.Immediate);
        switch (info.Shape)
        {
            case OperationShape.Alu:
                return FormatAlu(instruction, info);

            case OperationShape.ConditionalJump:
            {
                string left = info.Is32 ? dw : d;
                string right = instruction.Source == OperandSource.Register ? (info.Is32 ? sw : s) : imm;
                return $"if {left} {ComparisonOperator((JumpCode)info.Code)} {right} goto {Displacement(instruction.Offset)}";
            }

            case OperationShape.Jump:
                return instruction.Operation == Operation.Ja
                    ? $"goto {Displacement(instruction.Offset)}"
                    : $"gotol {Displacement(instruction.Offset)}";

            case OperationShape.Call:
            case OperationShape.CallKfunc:
                return $"call {imm}";

            case OperationShape.CallLocal:
                return $"call {Number(instruction.Offset)}";

            case OperationShape.CallRegister:
                return $"callx {d}";

            case OperationShape.Exit:
                return "exit";

            case OperationShape.LoadImm64:
                return instruction.ImmediateKind == LoadImmediateKind.Value
                    ? $"{d} = {imm} ll"
                    : $"ld_pseudo {d}, {(int)instruction.ImmediateKind}, {imm}";

            case OperationShape.Load:
            {
                string type = (instruction.Operation is Operation.LoadS8 or Operation.LoadS16 or Operation.LoadS32 ? "s" : "u")
                    + (info.AccessBytes * 8).ToString(CultureInfo.InvariantCulture);
                return $"{d} = *({type} *)({Address(instruction.Src, instruction.Offset)})";
            }

            case OperationShape.Store:
            {
                string value = instruction.Source == OperandSource.Register ? s : imm;
                return $"*({UnsignedType(info)} *)({Address(instruction.Dst, instruction.Offset)}) = {value}";
            }

            case OperationShape.Atomic:
            {
                // LLVM 14 prints the 32-bit add (XADDW) with r registers; the other 32-bit forms exist only with alu32.
                string value = info.AccessBytes == 8 || instruction.Operation == Operation.AtomicAdd32 ? s : sw;
                return $"lock *({UnsignedType(info)} *)({Address(instruction.Dst, instruction.Offset)}) {AtomicOperator(info)}= {value}";
            }

            case OperationShape.AtomicFetch:
            {
                string value = info.AccessBytes == 8 ? s : sw;
                string address = Address(instruction.Dst, instruction.Offset);
                if (instruction.Operation is Operation.AtomicExchange32 or Operation.AtomicExchange64)
                {
                    return info.AccessBytes == 8
                        ? $"{value} = xchg_64({address}, {value})"
                        : $"{value} = xchg32_32({address}, {value})";
                }
                return $"{value} = atomic_fetch_{AtomicName(info)}(({UnsignedType(info)} *)({address}), {value})";
            }

            case OperationShape.AtomicCompareExchange:
                return info.AccessBytes == 8
                    ? $"r0 = cmpxchg_64({Address(instruction.Dst, instruction.Offset)}, r0, {s})"
                    : $"w0 = cmpxchg32_32({Address(instruction.Dst, instruction.Offset)}, w0, {sw})";

            case OperationShape.PacketLoad:
            {
                string at = instruction.Source == OperandSource.Register
                    ? (instruction.Immediate == 0 ? s : $"{s} {(instruction.Immediate < 0 ? "-" : "+")} {Math.Abs(instruction.Immediate)}")
                    : imm;
                return $"r0 = *({UnsignedType(info)} *)skb[{at}]";
            }

            default:
                return "<unknown>";
        }
    }

    /// <summary>
    /// A whole program in llvm-objdump's line format: the slot number right-aligned in 8 columns, a colon and a
    /// tab, the instruction's bytes in hex, a tab, the text. Each line ends with a newline.
    /// </summary>
    public static string Disassemble(ReadOnlySpan<byte> bytecode)
    {
        var instructions = Decoder.Decode(bytecode);
        var text = new StringBuilder();
        int slot = 0;
        foreach (var instruction in instructions)
        {
            var bytes = bytecode.Slice(slot * RawInstruction.SizeBytes, instruction.Slots * RawInstruction.SizeBytes);
            text.Append(slot.ToString(CultureInfo.InvariantCulture).PadLeft(8)).Append(":\t");
            for (int i = 0; i < bytes.Length; i++)
            {
                text.Append(i == 0 ? "" : " ").Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
            }
            text.Append('\t').Append(Format(instruction)).Append('\n');
            slot += instruction.Slots;
        }
        return text.ToString();
    }

    private static string FormatAlu(Instruction instruction, OperationInfo info)
    {
        string r = info.Is32 ? "w" : "r";
        string d = $"{r}{instruction.Dst}";
        string operand = instruction.Source == OperandSource.Register ? $"{r}{instruction.Src}" : Number(instruction.Immediate);
        return instruction.Operation switch
        {
            Operation.Neg64 or Operation.Neg32 => $"{d} = -{d}",
            Operation.MovSx8To64 or Operation.MovSx8To32 => $"{d} = (s8){operand}",
            Operation.MovSx16To64 or Operation.MovSx16To32 => $"{d} = (s16){operand}",
            Operation.MovSx32To64 => $"{d} = (s32){operand}",
            Operation.ToLe16 => $"r{instruction.Dst} = le16 r{instruction.Dst}",
            Operation.ToLe32 => $"r{instruction.Dst} = le32 r{instruction.Dst}",
            Operation.ToLe64 => $"r{instruction.Dst} = le64 r{instruction.Dst}",
            Operation.ToBe16 => $"r{instruction.Dst} = be16 r{instruction.Dst}",
            Operation.ToBe32 => $"r{instruction.Dst} = be32 r{instruction.Dst}",
            Operation.ToBe64 => $"r{instruction.Dst} = be64 r{instruction.Dst}",
            Operation.Swap16 => $"r{instruction.Dst} = bswap16 r{instruction.Dst}",
            Operation.Swap32 => $"r{instruction.Dst} = bswap32 r{instruction.Dst}",
            Operation.Swap64 => $"r{instruction.Dst} = bswap64 r{instruction.Dst}",
            _ => $"{d} {AluOperator(instruction.Operation)} {operand}",
        };
    }

    private static string AluOperator(Operation operation) => operation switch
    {
        Operation.Add64 or Operation.Add32 => "+=",
        Operation.Sub64 or Operation.Sub32 => "-=",
        Operation.Mul64 or Operation.Mul32 => "*=",
        Operation.Div64 or Operation.Div32 => "/=",
        Operation.SDiv64 or Operation.SDiv32 => "s/=",
        Operation.Or64 or Operation.Or32 => "|=",
        Operation.And64 or Operation.And32 => "&=",
        Operation.Lsh64 or Operation.Lsh32 => "<<=",
        Operation.Rsh64 or Operation.Rsh32 => ">>=",
        Operation.Mod64 or Operation.Mod32 => "%=",
        Operation.SMod64 or Operation.SMod32 => "s%=",
        Operation.Xor64 or Operation.Xor32 => "^=",
        Operation.Mov64 or Operation.Mov32 => "=",
        Operation.Arsh64 or Operation.Arsh32 => "s>>=",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    private static string ComparisonOperator(JumpCode code) => code switch
    {
        JumpCode.Jeq => "==",
        JumpCode.Jgt => ">",
        JumpCode.Jge => ">=",
        JumpCode.Jset => "&",
        JumpCode.Jne => "!=",
        JumpCode.Jsgt => "s>",
        JumpCode.Jsge => "s>=",
        JumpCode.Jlt => "<",
        JumpCode.Jle => "<=",
        JumpCode.Jslt => "s<",
        JumpCode.Jsle => "s<=",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    private static string AtomicOperator(OperationInfo info) => ((AtomicCode)(info.ImmediateTag & ~(int)AtomicCode.Fetch)) switch
    {
        AtomicCode.Add => "+",
        AtomicCode.Or => "|",
        AtomicCode.And => "&",
        _ => "^",
    };

    private static string AtomicName(OperationInfo info) => ((AtomicCode)(info.ImmediateTag & ~(int)AtomicCode.Fetch)) switch
    {
        AtomicCode.Add => "add",
        AtomicCode.Or => "or",
        AtomicCode.And => "and",
        _ => "xor",
    };

    private static string UnsignedType(OperationInfo info) => "u" + (info.AccessBytes * 8).ToString(CultureInfo.InvariantCulture);

    /// <summary>A memory operand as LLVM's printMemOperand writes it: "r10 - 8", "r1 + 0".</summary>
    private static string Address(int register, int offset) =>
        $"r{register} {(offset < 0 ? "-" : "+")} {Math.Abs((long)offset).ToString(CultureInfo.InvariantCulture)}";

    private static string Displacement(int offset) =>
        (offset >= 0 ? "+" : "") + offset.ToString(CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
