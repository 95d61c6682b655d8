using static Bpf.Native.Programs.Classic.ClassicOpcode;

namespace Bpf.Native.Programs.Classic;

/// <summary>
/// The kernel's check of a classic program before conversion (net/core/filter.c bpf_check_basics_ok(),
/// bpf_check_classic(), chk_code_allowed(), check_load_and_stores()): known opcodes only, no constant division by
/// zero, shifts below 32, scratch cells 0-15 written before read on every path, forward jumps that stay inside the
/// program, known ancillary loads, and a return at the end.
/// </summary>
public static class ClassicChecker
{
    private static readonly HashSet<ushort> s_allowed =
    [
        Alu | Add | K, Alu | Add | X, Alu | Sub | K, Alu | Sub | X, Alu | Mul | K, Alu | Mul | X,
        Alu | Div | K, Alu | Div | X, Alu | Mod | K, Alu | Mod | X, Alu | And | K, Alu | And | X,
        Alu | Or | K, Alu | Or | X, Alu | Xor | K, Alu | Xor | X, Alu | Lsh | K, Alu | Lsh | X,
        Alu | Rsh | K, Alu | Rsh | X, Alu | Neg,
        Ld | W | Abs, Ld | H | Abs, Ld | B | Abs, Ld | W | Len, Ld | W | Ind, Ld | H | Ind, Ld | B | Ind,
        Ld | Imm, Ld | Mem, Ldx | W | Len, Ldx | B | Msh, Ldx | Imm, Ldx | Mem,
        St, Stx, Misc | Tax, Misc | Txa, Ret | K, Ret | RetA,
        Jmp | Ja, Jmp | Jeq | K, Jmp | Jeq | X, Jmp | Jge | K, Jmp | Jge | X, Jmp | Jgt | K, Jmp | Jgt | X,
        Jmp | Jset | K, Jmp | Jset | X,
    ];

    private static readonly HashSet<int> s_ancillary =
    [
        AdProtocol, AdPacketType, AdIfIndex, AdNlattr, AdNlattrNest, AdMark, AdQueue, AdHardwareType, AdRxHash,
        AdCpu, AdAluXorX, AdVlanTag, AdVlanTagPresent, AdPayloadOffset, AdRandom, AdVlanTpid,
    ];

    /// <summary>Checks <paramref name="program"/>; throws when the kernel would answer EINVAL.</summary>
    public static void Check(IReadOnlyList<ClassicInstruction> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        int length = program.Count;
        if (length == 0 || length > MaxInstructions)
        {
            throw new ClassicProgramException(-1, $"a classic program has 1 to {MaxInstructions} instructions, not {length}");
        }
        for (int pc = 0; pc < length; pc++)
        {
            ClassicInstruction f = program[pc];
            if (!s_allowed.Contains(f.Code))
            {
                throw new ClassicProgramException(pc, $"opcode {f.Code:#x} is not allowed");
            }
            switch (f.Code)
            {
                case Alu | Div | K or Alu | Mod | K when f.K == 0:
                    throw new ClassicProgramException(pc, "division by constant zero");
                case Alu | Lsh | K or Alu | Rsh | K when f.K >= 32:
                    throw new ClassicProgramException(pc, $"shift by {f.K}");
                case Ld | Mem or Ldx | Mem or St or Stx when f.K >= MemoryWords:
                    throw new ClassicProgramException(pc, $"scratch cell M[{f.K}] does not exist");
                case Jmp | Ja when f.K >= (uint)(length - pc - 1):
                    throw new ClassicProgramException(pc, "jump out of range");
                case Jmp | Jeq | K or Jmp | Jeq | X or Jmp | Jge | K or Jmp | Jge | X or Jmp | Jgt | K or Jmp | Jgt | X
                    or Jmp | Jset | K or Jmp | Jset | X when pc + f.JumpTrue + 1 >= length || pc + f.JumpFalse + 1 >= length:
                    throw new ClassicProgramException(pc, "jump out of range");
                case Ld | W | Abs or Ld | H | Abs or Ld | B | Abs
                    when (int)f.K >= AncillaryBase && (int)f.K < 0 && !IsAncillary((int)f.K):
                    throw new ClassicProgramException(pc, $"unknown ancillary load at {(int)f.K}");
            }
        }
        if (program[length - 1].Code is not (Ret | K or Ret | RetA))
        {
            throw new ClassicProgramException(length - 1, "the last instruction is not a return");
        }
        CheckLoadsAndStores(program);
    }

    /// <summary>bpf_anc_helper(): a load at SKF_AD_OFF + n for a known n.</summary>
    public static bool IsAncillary(int offset) => s_ancillary.Contains(offset - AncillaryBase);

    /// <summary>check_load_and_stores(): M[k] is read only where every path to the read wrote it.</summary>
    private static void CheckLoadsAndStores(IReadOnlyList<ClassicInstruction> program)
    {
        var masks = new ushort[program.Count];
        Array.Fill(masks, ushort.MaxValue);
        ushort valid = 0;
        for (int pc = 0; pc < program.Count; pc++)
        {
            valid &= masks[pc];
            ClassicInstruction f = program[pc];
            switch (f.Code)
            {
                case St or Stx:
                    valid |= (ushort)(1 << (int)f.K);
                    break;
                case Ld | Mem or Ldx | Mem:
                    if ((valid & (1 << (int)f.K)) == 0)
                    {
                        throw new ClassicProgramException(pc, $"M[{f.K}] is read before it is written");
                    }
                    break;
                case Jmp | Ja:
                    masks[pc + 1 + (int)f.K] &= valid;
                    valid = ushort.MaxValue;
                    break;
                case Jmp | Jeq | K or Jmp | Jeq | X or Jmp | Jge | K or Jmp | Jge | X or Jmp | Jgt | K or Jmp | Jgt | X
                    or Jmp | Jset | K or Jmp | Jset | X:
                    masks[pc + 1 + f.JumpTrue] &= valid;
                    masks[pc + 1 + f.JumpFalse] &= valid;
                    valid = ushort.MaxValue;
                    break;
            }
        }
    }
}
