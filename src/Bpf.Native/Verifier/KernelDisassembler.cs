using System.Globalization;
using Bpf.Native.Isa;

namespace Bpf.Native.Verifier;

/// <summary>
/// One instruction in the syntax of the kernel verifier's log (kernel/bpf/disasm.c, print_bpf_insn):
/// "(61) r2 = *(u32 *)(r1 +76)", "(25) if r4 > 0x64 goto pc+6", "(85) call bpf_map_lookup_elem#1". Works on the
/// raw encoding, as the kernel does, so the opcode byte in parentheses is the program's own.
/// </summary>
internal static class KernelDisassembler
{
    private static readonly string[] s_aluText =
        ["+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian"];

    private static readonly string[] s_jumpText =
        ["jmp", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=", "s<", "s<="];

    private static readonly string[] s_sizeText = ["u32", "u16", "u8", "u64"];

    public static string Format(Instruction instruction)
    {
        var raw = Encoder.ToRaw(instruction);
        return Format(raw[0], raw.Length > 1 ? raw[1] : default);
    }

    public static string Format(RawInstruction insn, RawInstruction next)
    {
        var c = CultureInfo.InvariantCulture;
        byte code = insn.Opcode;
        int cls = code & 0x07;
        int op = code >> 4;
        bool srcX = (code & 0x08) != 0;
        string head = $"({code:x2}) ";
        switch (cls)
        {
            case 0x04 or 0x07: // ALU, ALU64
            {
                char r = cls == 0x04 ? 'w' : 'r';
                if (op == 0xd)
                {
                    return cls == 0x07
                        ? head + $"r{insn.Dst} = bswap{insn.Immediate} r{insn.Dst}"
                        : head + $"r{insn.Dst} = {(srcX ? "be" : "le")}{insn.Immediate} r{insn.Dst}";
                }
                if (op == 0x8)
                {
                    return head + $"{r}{insn.Dst} = -{r}{insn.Dst}";
                }
                if (op == 0xb && insn.Offset != 0 && srcX)
                {
                    return head + $"{r}{insn.Dst} = (s{insn.Offset}){r}{insn.Src}";
                }
                string sign = op is 0x3 or 0x9 && insn.Offset == 1 ? "s" : "";
                return srcX
                    ? head + $"{r}{insn.Dst} {sign}{s_aluText[op]} {r}{insn.Src}"
                    : head + $"{r}{insn.Dst} {sign}{s_aluText[op]} {insn.Immediate.ToString(c)}";
            }
            case 0x03: // STX
            {
                string size = s_sizeText[(code >> 3) & 3];
                int mode = code & 0xe0;
                if (mode == 0x60)
                {
                    return head + $"*({size} *)(r{insn.Dst} {Signed(insn.Offset)}) = r{insn.Src}";
                }
                if (mode == 0xc0)
                {
                    return head + Atomic(insn, size);
                }
                return head + "BUG_st";
            }
            case 0x02: // ST
                return head + $"*({s_sizeText[(code >> 3) & 3]} *)(r{insn.Dst} {Signed(insn.Offset)}) = {insn.Immediate.ToString(c)}";
            case 0x01: // LDX
            {
                int mode = code & 0xe0;
                int sizeIndex = (code >> 3) & 3;
                if (mode == 0x80)
                {
                    string signed = sizeIndex switch { 0 => "s32", 1 => "s16", 2 => "s8", _ => "s64" };
                    return head + $"r{insn.Dst} = *({signed} *)(r{insn.Src} {Signed(insn.Offset)})";
                }
                return head + $"r{insn.Dst} = *({s_sizeText[sizeIndex]} *)(r{insn.Src} {Signed(insn.Offset)})";
            }
            case 0x00: // LD
            {
                int mode = code & 0xe0;
                string size = s_sizeText[(code >> 3) & 3];
                if (mode == 0x20)
                {
                    return head + $"r0 = *({size} *)skb[{insn.Immediate.ToString(c)}]";
                }
                if (mode == 0x40)
                {
                    return head + $"r0 = *({size} *)skb[r{insn.Src} + {insn.Immediate.ToString(c)}]";
                }
                ulong imm = ((ulong)(uint)next.Immediate << 32) | (uint)insn.Immediate;
                return head + $"r{insn.Dst} = 0x{imm:x}";
            }
            default: // JMP, JMP32
            {
                char r = cls == 0x06 ? 'w' : 'r';
                if (op == 0x8)
                {
                    if (insn.Src == 1)
                    {
                        return head + $"call pc{Plus(insn.Immediate)}";
                    }
                    if (insn.Src == 2)
                    {
                        return head + "call kernel-function";
                    }
                    if (srcX)
                    {
                        return head + $"callx r{insn.Dst}";
                    }
                    return head + $"call {HelperNames.NameOf(insn.Immediate)}#{insn.Immediate.ToString(c)}";
                }
                if (op == 0x9)
                {
                    return head + "exit";
                }
                if (op == 0x0)
                {
                    return cls == 0x06
                        ? head + $"gotol pc{Plus(insn.Immediate)}"
                        : head + $"goto pc{Plus(insn.Offset)}";
                }
                return srcX
                    ? head + $"if {r}{insn.Dst} {s_jumpText[op]} {r}{insn.Src} goto pc{Plus(insn.Offset)}"
                    : head + $"if {r}{insn.Dst} {s_jumpText[op]} 0x{(uint)insn.Immediate:x} goto pc{Plus(insn.Offset)}";
            }
        }
    }

    private static string Atomic(RawInstruction insn, string size)
    {
        bool is64 = size == "u64";
        string width = is64 ? "64" : "";
        string address = $"({size} *)(r{insn.Dst} {Signed(insn.Offset)})";
        int imm = insn.Immediate;
        string Name(int operation) => operation switch { 0x00 => "add", 0x40 => "or", 0x50 => "and", _ => "xor" };
        if (imm is 0x00 or 0x40 or 0x50 or 0xa0)
        {
            return $"lock *{address} {s_aluText[imm >> 4]} r{insn.Src}";
        }
        if (imm is 0x01 or 0x41 or 0x51 or 0xa1)
        {
            return $"r{insn.Src} = atomic{width}_fetch_{Name(imm & ~1)}({address}, r{insn.Src})";
        }
        if (imm == 0xe1)
        {
            return $"r{insn.Src} = atomic{width}_xchg({address}, r{insn.Src})";
        }
        if (imm == 0xf1)
        {
            return $"r0 = atomic{width}_cmpxchg({address}, r0, r{insn.Src})";
        }
        return "BUG_atomic";
    }

    private static string Signed(int value) => value >= 0
        ? "+" + value.ToString(CultureInfo.InvariantCulture)
        : value.ToString(CultureInfo.InvariantCulture);

    private static string Plus(int value) => Signed(value);
}
