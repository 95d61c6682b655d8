namespace Bpf.Native.Isa;

/// <summary>
/// The canonical operation of an instruction: what it does, with its width, independent of how it was encoded.
/// The decoder maps every valid encoding to exactly one operation (signed division is <see cref="SDiv64"/>, not
/// DIV with offset 1; ja32 is <see cref="JaLong"/> with its displacement in <see cref="Instruction.Offset"/>),
/// and each operation has exactly one entry in the semantics table (Semantics/SemanticsTable.cs).
/// </summary>
public enum Operation : byte
{
    // ALU64: dst = dst op operand, 64-bit (RFC 9669 section 4.1).
    Add64, Sub64, Mul64, Div64, SDiv64, Or64, And64, Lsh64, Rsh64, Neg64, Mod64, SMod64, Xor64, Mov64,
    MovSx8To64, MovSx16To64, MovSx32To64, Arsh64,

    // ALU: 32-bit operands, the result zero-extended to 64 bits.
    Add32, Sub32, Mul32, Div32, SDiv32, Or32, And32, Lsh32, Rsh32, Neg32, Mod32, SMod32, Xor32, Mov32,
    MovSx8To32, MovSx16To32, Arsh32,

    // Byte swaps (RFC 9669 section 4.2): ALU class to-little/to-big endian, ALU64 class unconditional (cpu v4).
    ToLe16, ToLe32, ToLe64, ToBe16, ToBe32, ToBe64, Swap16, Swap32, Swap64,

    // Jumps (RFC 9669 section 4.3). Ja has a 16-bit displacement (JMP class), JaLong a 32-bit one (JMP32 class).
    Ja, JaLong,
    Jeq64, Jgt64, Jge64, Jset64, Jne64, Jsgt64, Jsge64, Jlt64, Jle64, Jslt64, Jsle64,
    Jeq32, Jgt32, Jge32, Jset32, Jne32, Jsgt32, Jsge32, Jlt32, Jle32, Jslt32, Jsle32,

    // Calls: helper by id, program-local function, kernel function (not runnable here), helper id in a register
    // (callx), and return.
    Call, CallLocal, CallKfunc, CallRegister, Exit,

    // 64-bit immediate load (lddw), possibly a pseudo reference the loader resolves (see LoadImmediateKind).
    LoadImm64,

    // Loads: dst = *(size *)(src + off), zero- or sign-extended.
    LoadU8, LoadU16, LoadU32, LoadU64, LoadS8, LoadS16, LoadS32,

    // Stores: *(size *)(dst + off) = src or imm.
    Store8, Store16, Store32, Store64,

    // Atomics on *(size *)(dst + off) with src (RFC 9669 section 5.3).
    AtomicAdd32, AtomicOr32, AtomicAnd32, AtomicXor32,
    AtomicFetchAdd32, AtomicFetchOr32, AtomicFetchAnd32, AtomicFetchXor32,
    AtomicExchange32, AtomicCompareExchange32,
    AtomicAdd64, AtomicOr64, AtomicAnd64, AtomicXor64,
    AtomicFetchAdd64, AtomicFetchOr64, AtomicFetchAnd64, AtomicFetchXor64,
    AtomicExchange64, AtomicCompareExchange64,

    // Legacy packet loads (LD_ABS / LD_IND): r0 = big-endian load from the packet at imm (or src + imm).
    PacketLoad8, PacketLoad16, PacketLoad32,
}
