namespace Bpf.Native.Isa;

/// <summary>
/// The opcode vocabulary: every canonical operation with its encoding facts (RFC 9669 sections 3-5). The decoder and
/// encoder are both driven by this one table, so the mapping between encodings and operations cannot drift.
/// </summary>
public static class OperationCatalog
{
    private static readonly OperationInfo[] s_infos = Build();

    public static IReadOnlyList<OperationInfo> All => s_infos;

    public static OperationInfo Info(Operation operation) => s_infos[(int)operation];

    private static OperationInfo[] Build()
    {
        var list = new List<OperationInfo>();
        void Alu(Operation op, AluCode code, bool is32, short offsetTag = 0) => list.Add(new OperationInfo(
            op, OperationShape.Alu, is32 ? InstructionClass.Alu : InstructionClass.Alu64, (byte)code, is32, 0, offsetTag));
        void Swap(Operation op, InstructionClass cls, OperandSource source, int width) => list.Add(new OperationInfo(
            op, OperationShape.Alu, cls, (byte)AluCode.End, false, 0, 0, width, source));
        void Cond(Operation op, JumpCode code, bool is32) => list.Add(new OperationInfo(
            op, OperationShape.ConditionalJump, is32 ? InstructionClass.Jmp32 : InstructionClass.Jmp, (byte)code, is32, 0));
        void Mem(Operation op, OperationShape shape, InstructionClass cls, AddressingMode mode, int bytes, int immTag = 0) =>
            list.Add(new OperationInfo(op, shape, cls, (byte)mode, false, bytes, 0, immTag));

        foreach (bool is32 in new[] { false, true })
        {
            Alu(is32 ? Operation.Add32 : Operation.Add64, AluCode.Add, is32);
            Alu(is32 ? Operation.Sub32 : Operation.Sub64, AluCode.Sub, is32);
            Alu(is32 ? Operation.Mul32 : Operation.Mul64, AluCode.Mul, is32);
            Alu(is32 ? Operation.Div32 : Operation.Div64, AluCode.Div, is32);
            Alu(is32 ? Operation.SDiv32 : Operation.SDiv64, AluCode.Div, is32, 1);
            Alu(is32 ? Operation.Or32 : Operation.Or64, AluCode.Or, is32);
            Alu(is32 ? Operation.And32 : Operation.And64, AluCode.And, is32);
            Alu(is32 ? Operation.Lsh32 : Operation.Lsh64, AluCode.Lsh, is32);
            Alu(is32 ? Operation.Rsh32 : Operation.Rsh64, AluCode.Rsh, is32);
            Alu(is32 ? Operation.Neg32 : Operation.Neg64, AluCode.Neg, is32);
            Alu(is32 ? Operation.Mod32 : Operation.Mod64, AluCode.Mod, is32);
            Alu(is32 ? Operation.SMod32 : Operation.SMod64, AluCode.Mod, is32, 1);
            Alu(is32 ? Operation.Xor32 : Operation.Xor64, AluCode.Xor, is32);
            Alu(is32 ? Operation.Mov32 : Operation.Mov64, AluCode.Mov, is32);
            Alu(is32 ? Operation.MovSx8To32 : Operation.MovSx8To64, AluCode.Mov, is32, 8);
            Alu(is32 ? Operation.MovSx16To32 : Operation.MovSx16To64, AluCode.Mov, is32, 16);
            Alu(is32 ? Operation.Arsh32 : Operation.Arsh64, AluCode.Arsh, is32);
        }
        Alu(Operation.MovSx32To64, AluCode.Mov, false, 32);

        Swap(Operation.ToLe16, InstructionClass.Alu, OperandSource.Immediate, 16);
        Swap(Operation.ToLe32, InstructionClass.Alu, OperandSource.Immediate, 32);
        Swap(Operation.ToLe64, InstructionClass.Alu, OperandSource.Immediate, 64);
        Swap(Operation.ToBe16, InstructionClass.Alu, OperandSource.Register, 16);
        Swap(Operation.ToBe32, InstructionClass.Alu, OperandSource.Register, 32);
        Swap(Operation.ToBe64, InstructionClass.Alu, OperandSource.Register, 64);
        Swap(Operation.Swap16, InstructionClass.Alu64, OperandSource.Immediate, 16);
        Swap(Operation.Swap32, InstructionClass.Alu64, OperandSource.Immediate, 32);
        Swap(Operation.Swap64, InstructionClass.Alu64, OperandSource.Immediate, 64);

        list.Add(new OperationInfo(Operation.Ja, OperationShape.Jump, InstructionClass.Jmp, (byte)JumpCode.Ja, false, 0,
            FixedSource: OperandSource.Immediate));
        list.Add(new OperationInfo(Operation.JaLong, OperationShape.Jump, InstructionClass.Jmp32, (byte)JumpCode.Ja, false, 0,
            FixedSource: OperandSource.Immediate));
        foreach (bool is32 in new[] { false, true })
        {
            Cond(is32 ? Operation.Jeq32 : Operation.Jeq64, JumpCode.Jeq, is32);
            Cond(is32 ? Operation.Jgt32 : Operation.Jgt64, JumpCode.Jgt, is32);
            Cond(is32 ? Operation.Jge32 : Operation.Jge64, JumpCode.Jge, is32);
            Cond(is32 ? Operation.Jset32 : Operation.Jset64, JumpCode.Jset, is32);
            Cond(is32 ? Operation.Jne32 : Operation.Jne64, JumpCode.Jne, is32);
            Cond(is32 ? Operation.Jsgt32 : Operation.Jsgt64, JumpCode.Jsgt, is32);
            Cond(is32 ? Operation.Jsge32 : Operation.Jsge64, JumpCode.Jsge, is32);
            Cond(is32 ? Operation.Jlt32 : Operation.Jlt64, JumpCode.Jlt, is32);
            Cond(is32 ? Operation.Jle32 : Operation.Jle64, JumpCode.Jle, is32);
            Cond(is32 ? Operation.Jslt32 : Operation.Jslt64, JumpCode.Jslt, is32);
            Cond(is32 ? Operation.Jsle32 : Operation.Jsle64, JumpCode.Jsle, is32);
        }
        list.Add(new OperationInfo(Operation.Call, OperationShape.Call, InstructionClass.Jmp, (byte)JumpCode.Call, false, 0,
            FixedSource: OperandSource.Immediate));
        list.Add(new OperationInfo(Operation.CallLocal, OperationShape.CallLocal, InstructionClass.Jmp, (byte)JumpCode.Call, false, 0,
            FixedSource: OperandSource.Immediate));
        list.Add(new OperationInfo(Operation.CallKfunc, OperationShape.CallKfunc, InstructionClass.Jmp, (byte)JumpCode.Call, false, 0,
            FixedSource: OperandSource.Immediate));
        list.Add(new OperationInfo(Operation.CallRegister, OperationShape.CallRegister, InstructionClass.Jmp, (byte)JumpCode.Call, false, 0,
            FixedSource: OperandSource.Register));
        list.Add(new OperationInfo(Operation.Exit, OperationShape.Exit, InstructionClass.Jmp, (byte)JumpCode.Exit, false, 0,
            FixedSource: OperandSource.Immediate));

        Mem(Operation.LoadImm64, OperationShape.LoadImm64, InstructionClass.Ld, AddressingMode.Imm, 8);
        Mem(Operation.LoadU8, OperationShape.Load, InstructionClass.Ldx, AddressingMode.Mem, 1);
        Mem(Operation.LoadU16, OperationShape.Load, InstructionClass.Ldx, AddressingMode.Mem, 2);
        Mem(Operation.LoadU32, OperationShape.Load, InstructionClass.Ldx, AddressingMode.Mem, 4);
        Mem(Operation.LoadU64, OperationShape.Load, InstructionClass.Ldx, AddressingMode.Mem, 8);
        Mem(Operation.LoadS8, OperationShape.Load, InstructionClass.Ldx, AddressingMode.MemSx, 1);
        Mem(Operation.LoadS16, OperationShape.Load, InstructionClass.Ldx, AddressingMode.MemSx, 2);
        Mem(Operation.LoadS32, OperationShape.Load, InstructionClass.Ldx, AddressingMode.MemSx, 4);
        Mem(Operation.Store8, OperationShape.Store, InstructionClass.Stx, AddressingMode.Mem, 1);
        Mem(Operation.Store16, OperationShape.Store, InstructionClass.Stx, AddressingMode.Mem, 2);
        Mem(Operation.Store32, OperationShape.Store, InstructionClass.Stx, AddressingMode.Mem, 4);
        Mem(Operation.Store64, OperationShape.Store, InstructionClass.Stx, AddressingMode.Mem, 8);

        foreach (int bytes in new[] { 4, 8 })
        {
            bool w = bytes == 4;
            Mem(w ? Operation.AtomicAdd32 : Operation.AtomicAdd64, OperationShape.Atomic, InstructionClass.Stx, AddressingMode.Atomic, bytes, (int)AtomicCode.Add);
            Mem(w ? Operation.AtomicOr32 : Operation.AtomicOr64, OperationShape.Atomic, InstructionClass.Stx, AddressingMode.Atomic, bytes, (int)AtomicCode.Or);
            Mem(w ? Operation.AtomicAnd32 : Operation.AtomicAnd64, OperationShape.Atomic, InstructionClass.Stx, AddressingMode.Atomic, bytes, (int)AtomicCode.And);
            Mem(w ? Operation.AtomicXor32 : Operation.AtomicXor64, OperationShape.Atomic, InstructionClass.Stx, AddressingMode.Atomic, bytes, (int)AtomicCode.Xor);
            Mem(w ? Operation.AtomicFetchAdd32 : Operation.AtomicFetchAdd64, OperationShape.AtomicFetch, InstructionClass.Stx, AddressingMode.Atomic, bytes, (int)(AtomicCode.Add | AtomicCode.Fetch));
            Mem(w ? Operation.AtomicFetchOr32 : Operation.AtomicFetchOr64, OperationShape.AtomicFetch, InstructionClass.Stx, AddressingMode.Atomic, bytes, (int)(AtomicCode.Or | AtomicCode.Fetch));
            Mem(w ? Operation.AtomicFetchAnd32 : Operation.AtomicFetchAnd64, OperationShape.AtomicFetch, InstructionClass.Stx, AddressingMode.Atomic, bytes, (int)(AtomicCode.And | AtomicCode.Fetch));
            Mem(w ? Operation.AtomicFetchXor32 : Operation.AtomicFetchXor64, OperationShape.AtomicFetch, InstructionClass.Stx, AddressingMode.Atomic, bytes, (int)(AtomicCode.Xor | AtomicCode.Fetch));
            Mem(w ? Operation.AtomicExchange32 : Operation.AtomicExchange64, OperationShape.AtomicFetch, InstructionClass.Stx, AddressingMode.Atomic, bytes, (int)AtomicCode.Exchange);
            Mem(w ? Operation.AtomicCompareExchange32 : Operation.AtomicCompareExchange64, OperationShape.AtomicCompareExchange, InstructionClass.Stx, AddressingMode.Atomic, bytes, (int)AtomicCode.CompareExchange);
        }

        Mem(Operation.PacketLoad8, OperationShape.PacketLoad, InstructionClass.Ld, AddressingMode.Abs, 1);
        Mem(Operation.PacketLoad16, OperationShape.PacketLoad, InstructionClass.Ld, AddressingMode.Abs, 2);
        Mem(Operation.PacketLoad32, OperationShape.PacketLoad, InstructionClass.Ld, AddressingMode.Abs, 4);

        var table = new OperationInfo[Enum.GetValues<Operation>().Length];
        foreach (var info in list)
        {
            if (table[(int)info.Operation] is not null)
            {
                throw new InvalidOperationException($"Operation {info.Operation} is listed twice in the catalog.");
            }
            table[(int)info.Operation] = info;
        }
        for (int i = 0; i < table.Length; i++)
        {
            if (table[i] is null)
            {
                throw new InvalidOperationException($"Operation {(Operation)i} is missing from the catalog.");
            }
        }
        return table;
    }
}
