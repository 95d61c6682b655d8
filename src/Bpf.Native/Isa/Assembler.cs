using System.Globalization;

namespace Bpf.Native.Isa;

/// <summary>
/// Assembles the bpf_conformance suite's syntax (the "-- asm" sections of its .data files), so its tests run as
/// written: one instruction per line, <c>#</c> comments, <c>label:</c> lines, registers <c>%r0</c>-<c>%r10</c>,
/// memory operands <c>[%r1+2]</c>, jump targets as labels or <c>+N</c>/<c>-N</c> slots, numbers in decimal or
/// <c>0x</c> hex (32-bit fields keep the low 32 bits, so <c>0xffffffff</c> is -1); the undefined label <c>exit</c> names
/// the program's first exit instruction, as the suite's own assembler has it. Mnemonics: the ALU operations
/// with an optional <c>32</c> suffix (<c>add</c> ... <c>arsh</c>, <c>sdiv</c>, <c>smod</c>, <c>neg</c>,
/// <c>movsx832</c> ... <c>movsx3264</c>), <c>le16</c>/<c>be16</c>/<c>bswap16</c> (and <c>swap16</c>) for 16/32/64,
/// the jumps (<c>ja</c>, <c>ja32</c>, <c>jeq</c> ... <c>jsle</c> with optional <c>32</c>), <c>call N</c>,
/// <c>call local label</c>, <c>call %rN</c> (callx), <c>exit</c>, <c>lddw</c>, <c>ldx{b,h,w,dw}</c>,
/// <c>ldxs{b,h,w}</c>, <c>st{b,h,w,dw}</c>, <c>stx{b,h,w,dw}</c>, <c>lock [fetch] {add,or,and,xor}[32]</c>,
/// <c>lock xchg[32]</c>, <c>lock cmpxchg[32]</c>, and uBPF's <c>ldabs{b,h,w} imm</c> / <c>ldind{b,h,w} %rN, imm</c>.
/// </summary>
public static class Assembler
{
    private static readonly Dictionary<string, (Operation Op64, Operation Op32)> s_alu = new()
    {
        ["add"] = (Operation.Add64, Operation.Add32),
        ["sub"] = (Operation.Sub64, Operation.Sub32),
        ["mul"] = (Operation.Mul64, Operation.Mul32),
        ["div"] = (Operation.Div64, Operation.Div32),
        ["sdiv"] = (Operation.SDiv64, Operation.SDiv32),
        ["or"] = (Operation.Or64, Operation.Or32),
        ["and"] = (Operation.And64, Operation.And32),
        ["lsh"] = (Operation.Lsh64, Operation.Lsh32),
        ["rsh"] = (Operation.Rsh64, Operation.Rsh32),
        ["mod"] = (Operation.Mod64, Operation.Mod32),
        ["smod"] = (Operation.SMod64, Operation.SMod32),
        ["xor"] = (Operation.Xor64, Operation.Xor32),
        ["mov"] = (Operation.Mov64, Operation.Mov32),
        ["arsh"] = (Operation.Arsh64, Operation.Arsh32),
    };

    private static readonly Dictionary<string, Operation> s_unary = new()
    {
        ["neg"] = Operation.Neg64,
        ["neg32"] = Operation.Neg32,
        ["le16"] = Operation.ToLe16,
        ["le32"] = Operation.ToLe32,
        ["le64"] = Operation.ToLe64,
        ["be16"] = Operation.ToBe16,
        ["be32"] = Operation.ToBe32,
        ["be64"] = Operation.ToBe64,
        ["bswap16"] = Operation.Swap16,
        ["bswap32"] = Operation.Swap32,
        ["bswap64"] = Operation.Swap64,
        ["swap16"] = Operation.Swap16,
        ["swap32"] = Operation.Swap32,
        ["swap64"] = Operation.Swap64,
    };

    private static readonly Dictionary<string, Operation> s_moveSignExtend = new()
    {
        ["movsx832"] = Operation.MovSx8To32,
        ["movsx1632"] = Operation.MovSx16To32,
        ["movsx864"] = Operation.MovSx8To64,
        ["movsx1664"] = Operation.MovSx16To64,
        ["movsx3264"] = Operation.MovSx32To64,
    };

    private static readonly Dictionary<string, (Operation Op64, Operation Op32)> s_jumps = new()
    {
        ["jeq"] = (Operation.Jeq64, Operation.Jeq32),
        ["jgt"] = (Operation.Jgt64, Operation.Jgt32),
        ["jge"] = (Operation.Jge64, Operation.Jge32),
        ["jset"] = (Operation.Jset64, Operation.Jset32),
        ["jne"] = (Operation.Jne64, Operation.Jne32),
        ["jsgt"] = (Operation.Jsgt64, Operation.Jsgt32),
        ["jsge"] = (Operation.Jsge64, Operation.Jsge32),
        ["jlt"] = (Operation.Jlt64, Operation.Jlt32),
        ["jle"] = (Operation.Jle64, Operation.Jle32),
        ["jslt"] = (Operation.Jslt64, Operation.Jslt32),
        ["jsle"] = (Operation.Jsle64, Operation.Jsle32),
    };

    private static readonly Dictionary<string, Operation> s_memory = new()
    {
        ["ldxb"] = Operation.LoadU8,
        ["ldxh"] = Operation.LoadU16,
        ["ldxw"] = Operation.LoadU32,
        ["ldxdw"] = Operation.LoadU64,
        ["ldxsb"] = Operation.LoadS8,
        ["ldxsh"] = Operation.LoadS16,
        ["ldxsw"] = Operation.LoadS32,
        ["stb"] = Operation.Store8,
        ["sth"] = Operation.Store16,
        ["stw"] = Operation.Store32,
        ["stdw"] = Operation.Store64,
        ["stxb"] = Operation.Store8,
        ["stxh"] = Operation.Store16,
        ["stxw"] = Operation.Store32,
        ["stxdw"] = Operation.Store64,
    };

    private static readonly Dictionary<string, Operation> s_packet = new()
    {
        ["ldabsb"] = Operation.PacketLoad8,
        ["ldabsh"] = Operation.PacketLoad16,
        ["ldabsw"] = Operation.PacketLoad32,
        ["ldindb"] = Operation.PacketLoad8,
        ["ldindh"] = Operation.PacketLoad16,
        ["ldindw"] = Operation.PacketLoad32,
    };

    private static readonly Dictionary<string, (Operation Op64, Operation Op32)> s_atomic = new()
    {
        ["add"] = (Operation.AtomicAdd64, Operation.AtomicAdd32),
        ["or"] = (Operation.AtomicOr64, Operation.AtomicOr32),
        ["and"] = (Operation.AtomicAnd64, Operation.AtomicAnd32),
        ["xor"] = (Operation.AtomicXor64, Operation.AtomicXor32),
        ["fetch add"] = (Operation.AtomicFetchAdd64, Operation.AtomicFetchAdd32),
        ["fetch or"] = (Operation.AtomicFetchOr64, Operation.AtomicFetchOr32),
        ["fetch and"] = (Operation.AtomicFetchAnd64, Operation.AtomicFetchAnd32),
        ["fetch xor"] = (Operation.AtomicFetchXor64, Operation.AtomicFetchXor32),
        ["xchg"] = (Operation.AtomicExchange64, Operation.AtomicExchange32),
        ["cmpxchg"] = (Operation.AtomicCompareExchange64, Operation.AtomicCompareExchange32),
    };

    /// <summary>Assembles <paramref name="source"/> to canonical instructions.</summary>
    /// <exception cref="AssemblerException">A line does not assemble, or a label is unknown or defined twice.</exception>
    public static Instruction[] Assemble(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var lines = source.Split('\n');
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var parsed = new List<(int Line, string Mnemonic, string[] Operands, int Slot)>();
        int slot = 0;
        for (int n = 0; n < lines.Length; n++)
        {
            string text = StripComment(lines[n]).Trim();
            if (text.Length == 0)
            {
                continue;
            }
            if (text.EndsWith(':'))
            {
                string label = text[..^1].Trim();
                if (!labels.TryAdd(label, slot))
                {
                    throw new AssemblerException(n + 1, $"label '{label}' is defined twice");
                }
                continue;
            }
            var (mnemonic, operands) = Split(text);
            parsed.Add((n + 1, mnemonic, operands, slot));
            slot += mnemonic == "lddw" ? 2 : 1;
        }

        var exitSlots = parsed.Where(p => p.Mnemonic == "exit").Select(p => p.Slot).ToArray();
        var result = new Instruction[parsed.Count];
        for (int i = 0; i < parsed.Count; i++)
        {
            var (line, mnemonic, operands, at) = parsed[i];
            try
            {
                result[i] = AssembleOne(mnemonic, operands, target => ResolveTarget(target, at, labels, exitSlots));
            }
            catch (FormatException e)
            {
                throw new AssemblerException(line, e.Message);
            }
        }
        return result;
    }

    /// <summary>Assembles <paramref name="source"/> to bytecode.</summary>
    public static byte[] AssembleToBytes(string source) => Encoder.Encode(Assemble(source));

    private static Instruction AssembleOne(string mnemonic, string[] operands, Func<string, int> target)
    {
        if (mnemonic == "exit")
        {
            Expect(operands, 0, mnemonic);
            return Instruction.ExitProgram();
        }
        if (mnemonic == "lddw")
        {
            Expect(operands, 2, mnemonic);
            return Instruction.LoadImmediate64(Register(operands[0]), (long)ParseNumber(operands[1]));
        }
        if (mnemonic is "ja" or "ja32")
        {
            Expect(operands, 1, mnemonic);
            return new Instruction(mnemonic == "ja" ? Operation.Ja : Operation.JaLong, Offset: target(operands[0]));
        }
        if (mnemonic == "call")
        {
            return AssembleCall(operands, target);
        }
        if (mnemonic.StartsWith("lock ", StringComparison.Ordinal))
        {
            return AssembleAtomic(mnemonic[5..], operands);
        }
        if (s_unary.TryGetValue(mnemonic, out var unary))
        {
            Expect(operands, 1, mnemonic);
            return new Instruction(unary, Register(operands[0]));
        }
        if (s_moveSignExtend.TryGetValue(mnemonic, out var movsx))
        {
            Expect(operands, 2, mnemonic);
            return Instruction.AluRegister(movsx, Register(operands[0]), Register(operands[1]));
        }
        if (TryWidth(s_alu, mnemonic, out var alu))
        {
            Expect(operands, 2, mnemonic);
            return IsRegister(operands[1])
                ? Instruction.AluRegister(alu, Register(operands[0]), Register(operands[1]))
                : Instruction.Alu(alu, Register(operands[0]), Immediate32(operands[1]));
        }
        if (TryWidth(s_jumps, mnemonic, out var jump))
        {
            Expect(operands, 3, mnemonic);
            return IsRegister(operands[1])
                ? Instruction.JumpIfRegister(jump, Register(operands[0]), Register(operands[1]), target(operands[2]))
                : Instruction.JumpIf(jump, Register(operands[0]), Immediate32(operands[1]), target(operands[2]));
        }
        if (s_memory.TryGetValue(mnemonic, out var memory))
        {
            Expect(operands, 2, mnemonic);
            if (mnemonic.StartsWith("ldx", StringComparison.Ordinal))
            {
                var (baseRegister, offset) = MemoryOperand(operands[1]);
                return Instruction.Load(memory, Register(operands[0]), baseRegister, offset);
            }
            var (dst, storeOffset) = MemoryOperand(operands[0]);
            return mnemonic.StartsWith("stx", StringComparison.Ordinal)
                ? Instruction.Store(memory, dst, storeOffset, Register(operands[1]))
                : Instruction.StoreImmediate(memory, dst, storeOffset, (int)Immediate32(operands[1]));
        }
        if (s_packet.TryGetValue(mnemonic, out var packet))
        {
            if (mnemonic.StartsWith("ldabs", StringComparison.Ordinal))
            {
                Expect(operands, 1, mnemonic);
                return Instruction.PacketLoad(packet, (int)Immediate32(operands[0]));
            }
            Expect(operands, 2, mnemonic);
            return Instruction.PacketLoadIndirect(packet, Register(operands[0]), (int)Immediate32(operands[1]));
        }
        throw new FormatException($"unknown mnemonic '{mnemonic}'");
    }

    private static Instruction AssembleCall(string[] operands, Func<string, int> target)
    {
        // "call 5" (helper), "call local label" (program-local), "call %r2" (callx), "call helper 5".
        if (operands.Length == 1)
        {
            string[] words = operands[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 2 && words[0] == "local")
            {
                return Instruction.CallLocalFunction(target(words[1]));
            }
            if (words.Length == 2 && words[0] == "helper")
            {
                return Instruction.CallHelper((int)Immediate32(words[1]));
            }
            if (words.Length == 1)
            {
                return IsRegister(words[0])
                    ? new Instruction(Operation.CallRegister, Register(words[0]))
                    : Instruction.CallHelper((int)Immediate32(words[0]));
            }
        }
        throw new FormatException("call takes a helper id, 'local label' or a register");
    }

    private static Instruction AssembleAtomic(string operation, string[] operands)
    {
        Expect(operands, 2, "lock " + operation);
        operation = string.Join(' ', operation.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        bool is32 = operation.EndsWith("32", StringComparison.Ordinal);
        string name = is32 ? operation[..^2] : operation;
        if (!s_atomic.TryGetValue(name, out var ops))
        {
            throw new FormatException($"unknown atomic operation 'lock {operation}'");
        }
        var (dst, offset) = MemoryOperand(operands[0]);
        return Instruction.AtomicOp(is32 ? ops.Op32 : ops.Op64, dst, offset, Register(operands[1]));
    }

    private static bool TryWidth(Dictionary<string, (Operation Op64, Operation Op32)> table, string mnemonic, out Operation operation)
    {
        if (table.TryGetValue(mnemonic, out var pair))
        {
            operation = pair.Op64;
            return true;
        }
        if (mnemonic.EndsWith("32", StringComparison.Ordinal) && table.TryGetValue(mnemonic[..^2], out pair))
        {
            operation = pair.Op32;
            return true;
        }
        operation = default;
        return false;
    }

    private static (string Mnemonic, string[] Operands) Split(string text)
    {
        // The mnemonic is the first word, or for atomics every word before the memory operand ("lock fetch add32").
        int operandStart = text.IndexOf('[');
        string head = text;
        string tail = "";
        if (text.StartsWith("lock ", StringComparison.Ordinal) && operandStart > 0)
        {
            head = text[..operandStart].Trim();
            tail = text[operandStart..];
        }
        else
        {
            int space = text.IndexOfAny([' ', '\t']);
            if (space > 0)
            {
                head = text[..space];
                tail = text[(space + 1)..];
            }
        }
        string[] operands = tail.Length == 0
            ? []
            : tail.Split(',').Select(o => o.Trim()).ToArray();
        return (head.ToLowerInvariant(), operands);
    }

    private static string StripComment(string line)
    {
        int hash = line.IndexOf('#');
        return hash >= 0 ? line[..hash] : line;
    }

    private static void Expect(string[] operands, int count, string mnemonic)
    {
        if (operands.Length != count)
        {
            throw new FormatException($"{mnemonic} takes {count} operand(s), not {operands.Length}");
        }
    }

    private static bool IsRegister(string operand) => operand.StartsWith('%') || operand.StartsWith('r');

    private static byte Register(string operand)
    {
        string name = operand.TrimStart('%');
        if (name.Length >= 2 && name[0] == 'r' && int.TryParse(name[1..], NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            && number <= 10)
        {
            return (byte)number;
        }
        throw new FormatException($"'{operand}' is not a register (%r0-%r10)");
    }

    private static (byte Register, short Offset) MemoryOperand(string operand)
    {
        if (!operand.StartsWith('[') || !operand.EndsWith(']'))
        {
            throw new FormatException($"'{operand}' is not a memory operand like [%r1+2]");
        }
        string inner = operand[1..^1].Trim();
        int sign = inner.IndexOfAny(['+', '-']);
        if (sign < 0)
        {
            return (Register(inner), 0);
        }
        long offset = (long)ParseNumber(inner[sign..]);
        return (Register(inner[..sign].Trim()), unchecked((short)offset));
    }

    private static int ResolveTarget(string target, int slot, Dictionary<string, int> labels, int[] exitSlots)
    {
        if (target.StartsWith('+') || target.StartsWith('-'))
        {
            return unchecked((int)(long)ParseNumber(target));
        }
        if (labels.TryGetValue(target, out int destination))
        {
            return destination - (slot + 1);
        }
        if (target == "exit" && exitSlots.Length > 0)
        {
            // The suite's tests jump to "exit" without defining it: it names the program's first exit instruction.
            return exitSlots[0] - (slot + 1);
        }
        throw new FormatException($"unknown label '{target}'");
    }

    /// <summary>A 32-bit field: the low 32 bits of the number, sign-extended as the encoding is.</summary>
    private static long Immediate32(string text) => unchecked((int)(uint)ParseNumber(text));

    /// <summary>Decimal or 0x hex, with an optional sign; the 64-bit two's complement bits.</summary>
    private static ulong ParseNumber(string text)
    {
        string s = text.Trim();
        bool negative = false;
        if (s.StartsWith('+') || s.StartsWith('-'))
        {
            negative = s[0] == '-';
            s = s[1..].Trim();
        }
        ulong magnitude;
        bool ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude)
            : ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
        if (!ok)
        {
            throw new FormatException($"'{text}' is not a number");
        }
        return negative ? unchecked(0 - magnitude) : magnitude;
    }
}
