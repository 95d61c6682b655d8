namespace Bpf.Native.Isa;

/// <summary>
/// Facts about one canonical operation: its shape and width, and how it is encoded. <see cref="Code"/> is the
/// operation nibble for ALU and jump classes and the mode bits for memory classes; <see cref="OffsetTag"/> and
/// <see cref="ImmediateTag"/> are the offset or imm values that select this operation within its opcode (sdiv's
/// offset 1, movsx's 8/16/32, a byte swap's width, an atomic's operation); <see cref="FixedSource"/> is set when the
/// source bit is part of the operation rather than the operand (to-big-endian uses X).
/// </summary>
public sealed record OperationInfo(
    Operation Operation,
    OperationShape Shape,
    InstructionClass Class,
    byte Code,
    bool Is32,
    int AccessBytes,
    short OffsetTag = 0,
    int ImmediateTag = 0,
    OperandSource? FixedSource = null)
{
    /// <summary>The size bits for memory operations.</summary>
    public AccessSize Size => AccessBytes switch
    {
        1 => AccessSize.Byte,
        2 => AccessSize.Half,
        4 => AccessSize.Word,
        _ => AccessSize.DoubleWord,
    };
}
