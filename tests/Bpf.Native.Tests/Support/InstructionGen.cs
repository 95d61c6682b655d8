using Bpf.Native.Isa;
using CsCheck;

namespace Bpf.Native.Tests.Support;

/// <summary>CsCheck generators for canonical instructions and raw slots.</summary>
internal static class InstructionGen
{
    public static readonly Gen<byte> Register = Gen.Byte[0, 10];

    /// <summary>Immediates biased to the edges where semantics differ.</summary>
    public static readonly Gen<int> Immediate32 = Gen.Frequency(
        (3, Gen.Int),
        (2, Gen.OneOfConst(0, 1, -1, 2, 7, 8, 15, 16, 31, 32, 33, 63, 64, int.MinValue, int.MaxValue, 0x7f, 0x80, 0xff, 0xffff)));

    public static readonly Gen<Instruction> Any = Gen.Enum<Operation>().SelectMany(ForOperation);

    /// <summary>Raw slots with any opcode and fields near the valid ranges, to reach the decoder's paths.</summary>
    public static readonly Gen<byte[]> NearValidSlots = Gen.Select(
            Gen.Byte, Gen.Byte[0, 15], Gen.Byte[0, 15],
            Gen.OneOfConst<short>(0, 1, 8, 16, 32, -1, 5),
            Gen.OneOfConst(0, 1, 16, 32, 64, 0x40, 0x41, 0x50, 0xa1, 0xe1, 0xf1, -1, 12))
        .Select((opcode, dst, src, offset, imm) =>
        {
            var bytes = new byte[RawInstruction.SizeBytes];
            new RawInstruction(opcode, dst, src, offset, imm).Write(bytes);
            return bytes;
        })
        .Array[1, 6]
        .Select(slots => slots.SelectMany(s => s).ToArray());

    public static Gen<Instruction> ForOperation(Operation operation)
    {
        var info = OperationCatalog.Info(operation);
        switch (info.Shape)
        {
            case OperationShape.Alu when info.Code is (byte)AluCode.End or (byte)AluCode.Neg:
                return Register.Select(dst => new Instruction(operation, dst));
            case OperationShape.Alu when info.Code == (byte)AluCode.Mov && info.OffsetTag != 0:
                return Gen.Select(Register, Register, (dst, src) => Instruction.AluRegister(operation, dst, src));
            case OperationShape.Alu:
                return Gen.Select(Register, Register, Gen.Bool, Immediate32, (dst, src, register, imm) => register
                    ? Instruction.AluRegister(operation, dst, src)
                    : Instruction.Alu(operation, dst, imm));
            case OperationShape.ConditionalJump:
                return Gen.Select(Register, Register, Gen.Bool, Immediate32, Gen.Short, (dst, src, register, imm, offset) => register
                    ? Instruction.JumpIfRegister(operation, dst, src, offset)
                    : Instruction.JumpIf(operation, dst, imm, offset));
            case OperationShape.Jump:
                return operation == Operation.Ja
                    ? Gen.Short.Select(offset => Instruction.Goto(offset))
                    : Gen.Int.Select(offset => new Instruction(Operation.JaLong, Offset: offset));
            case OperationShape.Call:
                return Gen.Int.Select(Instruction.CallHelper);
            case OperationShape.CallLocal:
                return Gen.Int.Select(Instruction.CallLocalFunction);
            case OperationShape.CallKfunc:
                return Gen.Select(Gen.Short, Gen.Int, (offset, imm) => new Instruction(Operation.CallKfunc, Offset: offset, Immediate: imm));
            case OperationShape.CallRegister:
                return Register.Select(dst => new Instruction(Operation.CallRegister, dst));
            case OperationShape.Exit:
                return Gen.Const(Instruction.ExitProgram());
            case OperationShape.LoadImm64:
                return Gen.Select(Register, Gen.Long, Gen.Byte[0, 6], (dst, value, kind) =>
                    new Instruction(Operation.LoadImm64, dst, Immediate: value, ImmediateKind: (LoadImmediateKind)kind));
            case OperationShape.Load:
                return Gen.Select(Register, Register, Gen.Short, (dst, src, offset) => Instruction.Load(operation, dst, src, offset));
            case OperationShape.Store:
                return Gen.Select(Register, Register, Gen.Short, Gen.Bool, Immediate32, (dst, src, offset, register, imm) => register
                    ? Instruction.Store(operation, dst, offset, src)
                    : Instruction.StoreImmediate(operation, dst, offset, imm));
            case OperationShape.PacketLoad:
                return Gen.Select(Register, Gen.Bool, Immediate32, (src, register, imm) => register
                    ? Instruction.PacketLoadIndirect(operation, src, imm)
                    : Instruction.PacketLoad(operation, imm));
            default:
                return Gen.Select(Register, Register, Gen.Short, (dst, src, offset) => Instruction.AtomicOp(operation, dst, offset, src));
        }
    }
}
