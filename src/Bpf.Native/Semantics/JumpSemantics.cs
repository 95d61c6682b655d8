using System.Runtime.CompilerServices;
using Bpf.Native.Isa;

namespace Bpf.Native.Semantics;

/// <summary>
/// Conditions of the conditional jumps (RFC 9669 section 4.3): <c>if (f(dst, operand)) pc += offset</c>. The
/// operand is the source register or the imm sign-extended to 64 bits, so "jgt r1, -1" compares with
/// 0xffff_ffff_ffff_ffff (kernel/bpf/core.c, JMP_JGT_K casts IMM through s64). JMP32 compares the low halves.
/// </summary>
public static class JumpSemantics
{
    [Semantics(Operation.Jeq64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jeq64(ulong dst, ulong operand) => dst == operand;

    [Semantics(Operation.Jgt64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jgt64(ulong dst, ulong operand) => dst > operand;

    [Semantics(Operation.Jge64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jge64(ulong dst, ulong operand) => dst >= operand;

    [Semantics(Operation.Jset64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jset64(ulong dst, ulong operand) => (dst & operand) != 0;

    [Semantics(Operation.Jne64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jne64(ulong dst, ulong operand) => dst != operand;

    [Semantics(Operation.Jsgt64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jsgt64(ulong dst, ulong operand) => (long)dst > (long)operand;

    [Semantics(Operation.Jsge64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jsge64(ulong dst, ulong operand) => (long)dst >= (long)operand;

    [Semantics(Operation.Jlt64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jlt64(ulong dst, ulong operand) => dst < operand;

    [Semantics(Operation.Jle64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jle64(ulong dst, ulong operand) => dst <= operand;

    [Semantics(Operation.Jslt64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jslt64(ulong dst, ulong operand) => (long)dst < (long)operand;

    [Semantics(Operation.Jsle64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jsle64(ulong dst, ulong operand) => (long)dst <= (long)operand;

    [Semantics(Operation.Jeq32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jeq32(ulong dst, ulong operand) => (uint)dst == (uint)operand;

    [Semantics(Operation.Jgt32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jgt32(ulong dst, ulong operand) => (uint)dst > (uint)operand;

    [Semantics(Operation.Jge32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jge32(ulong dst, ulong operand) => (uint)dst >= (uint)operand;

    [Semantics(Operation.Jset32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jset32(ulong dst, ulong operand) => ((uint)dst & (uint)operand) != 0;

    [Semantics(Operation.Jne32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jne32(ulong dst, ulong operand) => (uint)dst != (uint)operand;

    [Semantics(Operation.Jsgt32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jsgt32(ulong dst, ulong operand) => (int)dst > (int)operand;

    [Semantics(Operation.Jsge32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jsge32(ulong dst, ulong operand) => (int)dst >= (int)operand;

    [Semantics(Operation.Jlt32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jlt32(ulong dst, ulong operand) => (uint)dst < (uint)operand;

    [Semantics(Operation.Jle32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jle32(ulong dst, ulong operand) => (uint)dst <= (uint)operand;

    [Semantics(Operation.Jslt32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jslt32(ulong dst, ulong operand) => (int)dst < (int)operand;

    [Semantics(Operation.Jsle32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jsle32(ulong dst, ulong operand) => (int)dst <= (int)operand;
}
