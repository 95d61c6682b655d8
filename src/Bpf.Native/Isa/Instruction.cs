namespace Bpf.Native.Isa;

/// <summary>
/// A canonical instruction: one <see cref="Isa.Operation"/> with its operands, whatever its encoding was.
/// <list type="bullet">
/// <item><see cref="Dst"/>, <see cref="Src"/>: register numbers 0-10 (callx keeps its register in Dst).</item>
/// <item><see cref="Source"/>: whether the second operand is <see cref="Src"/> or <see cref="Immediate"/> (ALU,
/// conditional jumps, stores, packet loads).</item>
/// <item><see cref="Offset"/>: the memory offset, or for jumps and local calls the displacement in 8-byte slots
/// relative to the next slot (a ja32's 32-bit displacement and a local call's imm are moved here).</item>
/// <item><see cref="Immediate"/>: the 32-bit imm sign-extended to 64 bits; for lddw the whole 64-bit value;
/// for helper calls the helper id.</item>
/// <item><see cref="ImmediateKind"/>: what an lddw's value means (a map reference until the loader resolves it).</item>
/// </list>
/// </summary>
public readonly record struct Instruction(
    Operation Operation,
    byte Dst = 0,
    byte Src = 0,
    OperandSource Source = OperandSource.Immediate,
    int Offset = 0,
    long Immediate = 0,
    LoadImmediateKind ImmediateKind = LoadImmediateKind.Value)
{
    public OperationInfo Info => OperationCatalog.Info(Operation);

    public OperationShape Shape => OperationCatalog.Info(Operation).Shape;

    /// <summary>Number of 8-byte slots the encoding takes: 2 for lddw, otherwise 1.</summary>
    public int Slots => Operation == Operation.LoadImm64 ? 2 : 1;

    /// <summary>True when the instruction may transfer control to <c>next slot + Offset</c>.</summary>
    public bool IsJump => Shape is OperationShape.Jump or OperationShape.ConditionalJump;

    public static Instruction Alu(Operation operation, byte dst, long immediate) =>
        new(operation, dst, 0, OperandSource.Immediate, 0, immediate);

    public static Instruction AluRegister(Operation operation, byte dst, byte src) =>
        new(operation, dst, src, OperandSource.Register);

    public static Instruction JumpIf(Operation operation, byte dst, long immediate, int offset) =>
        new(operation, dst, 0, OperandSource.Immediate, offset, immediate);

    public static Instruction JumpIfRegister(Operation operation, byte dst, byte src, int offset) =>
        new(operation, dst, src, OperandSource.Register, offset);

    public static Instruction Goto(int offset) => new(Operation.Ja, Offset: offset);

    public static Instruction CallHelper(int helperId) => new(Operation.Call, Immediate: helperId);

    public static Instruction CallLocalFunction(int offset) => new(Operation.CallLocal, Offset: offset);

    public static Instruction ExitProgram() => new(Operation.Exit);

    public static Instruction LoadImmediate64(byte dst, long value) => new(Operation.LoadImm64, dst, Immediate: value);

    public static Instruction Load(Operation operation, byte dst, byte src, short offset) =>
        new(operation, dst, src, OperandSource.Register, offset);

    public static Instruction Store(Operation operation, byte dst, short offset, byte src) =>
        new(operation, dst, src, OperandSource.Register, offset);

    public static Instruction StoreImmediate(Operation operation, byte dst, short offset, int immediate) =>
        new(operation, dst, 0, OperandSource.Immediate, offset, immediate);

    public static Instruction AtomicOp(Operation operation, byte dst, short offset, byte src) =>
        new(operation, dst, src, OperandSource.Register, offset);

    public static Instruction PacketLoad(Operation operation, int offset) =>
        new(operation, 0, 0, OperandSource.Immediate, 0, offset);

    public static Instruction PacketLoadIndirect(Operation operation, byte src, int offset) =>
        new(operation, 0, src, OperandSource.Register, 0, offset);
}
