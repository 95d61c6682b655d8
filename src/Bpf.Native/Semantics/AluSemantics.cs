using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Bpf.Native.Isa;

namespace Bpf.Native.Semantics;

/// <summary>
/// ALU, ALU64 and byte-swap operations: <c>dst = f(dst, operand)</c> where the operand is the source register or the
/// imm sign-extended to 64 bits. 32-bit operations read the low halves and zero-extend their result (RFC 9669
/// section 4.1). Division and modulo follow the Linux verifier's rewrite (kernel/bpf/verifier.c, do_misc_fixups):
/// x / 0 = 0, x % 0 = x (zero-extended for 32 bits), signed INT_MIN / -1 = INT_MIN and INT_MIN % -1 = 0.
/// Shift counts are masked to the operand width, as the kernel's JITs and RFC 9669 do.
/// </summary>
public static class AluSemantics
{
    [Semantics(Operation.Add64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add64(ulong dst, ulong operand) => dst + operand;

    [Semantics(Operation.Sub64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sub64(ulong dst, ulong operand) => dst - operand;

    [Semantics(Operation.Mul64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mul64(ulong dst, ulong operand) => dst * operand;

    [Semantics(Operation.Div64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div64(ulong dst, ulong operand) => operand == 0 ? 0 : dst / operand;

    [Semantics(Operation.SDiv64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SDiv64(ulong dst, ulong operand) => (long)operand switch
    {
        0 => 0,
        -1 => (ulong)unchecked(-(long)dst),
        _ => (ulong)((long)dst / (long)operand),
    };

    [Semantics(Operation.Or64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Or64(ulong dst, ulong operand) => dst | operand;

    [Semantics(Operation.And64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong And64(ulong dst, ulong operand) => dst & operand;

    [Semantics(Operation.Lsh64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lsh64(ulong dst, ulong operand) => dst << (int)(operand & 63);

    [Semantics(Operation.Rsh64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Rsh64(ulong dst, ulong operand) => dst >> (int)(operand & 63);

    [Semantics(Operation.Neg64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Neg64(ulong dst, ulong operand) => (ulong)unchecked(-(long)dst);

    [Semantics(Operation.Mod64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod64(ulong dst, ulong operand) => operand == 0 ? dst : dst % operand;

    [Semantics(Operation.SMod64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SMod64(ulong dst, ulong operand) => (long)operand switch
    {
        0 => dst,
        -1 => 0,
        _ => (ulong)((long)dst % (long)operand),
    };

    [Semantics(Operation.Xor64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Xor64(ulong dst, ulong operand) => dst ^ operand;

    [Semantics(Operation.Mov64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mov64(ulong dst, ulong operand) => operand;

    [Semantics(Operation.MovSx8To64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MovSx8To64(ulong dst, ulong operand) => (ulong)(long)(sbyte)operand;

    [Semantics(Operation.MovSx16To64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MovSx16To64(ulong dst, ulong operand) => (ulong)(long)(short)operand;

    [Semantics(Operation.MovSx32To64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MovSx32To64(ulong dst, ulong operand) => (ulong)(long)(int)operand;

    [Semantics(Operation.Arsh64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Arsh64(ulong dst, ulong operand) => (ulong)((long)dst >> (int)(operand & 63));

    [Semantics(Operation.Add32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add32(ulong dst, ulong operand) => (uint)dst + (uint)operand;

    [Semantics(Operation.Sub32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sub32(ulong dst, ulong operand) => (uint)dst - (uint)operand;

    [Semantics(Operation.Mul32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mul32(ulong dst, ulong operand) => (uint)dst * (uint)operand;

    [Semantics(Operation.Div32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div32(ulong dst, ulong operand) => (uint)operand == 0 ? 0 : (uint)dst / (uint)operand;

    [Semantics(Operation.SDiv32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SDiv32(ulong dst, ulong operand) => (int)operand switch
    {
        0 => 0,
        -1 => (uint)unchecked(-(int)dst),
        _ => (uint)((int)dst / (int)operand),
    };

    [Semantics(Operation.Or32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Or32(ulong dst, ulong operand) => (uint)dst | (uint)operand;

    [Semantics(Operation.And32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong And32(ulong dst, ulong operand) => (uint)dst & (uint)operand;

    [Semantics(Operation.Lsh32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lsh32(ulong dst, ulong operand) => (uint)dst << (int)(operand & 31);

    [Semantics(Operation.Rsh32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Rsh32(ulong dst, ulong operand) => (uint)dst >> (int)(operand & 31);

    [Semantics(Operation.Neg32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Neg32(ulong dst, ulong operand) => (uint)unchecked(-(int)dst);

    [Semantics(Operation.Mod32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod32(ulong dst, ulong operand) => (uint)operand == 0 ? (uint)dst : (uint)dst % (uint)operand;

    [Semantics(Operation.SMod32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SMod32(ulong dst, ulong operand) => (int)operand switch
    {
        0 => (uint)dst,
        -1 => 0,
        _ => (uint)((int)dst % (int)operand),
    };

    [Semantics(Operation.Xor32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Xor32(ulong dst, ulong operand) => (uint)dst ^ (uint)operand;

    [Semantics(Operation.Mov32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mov32(ulong dst, ulong operand) => (uint)operand;

    [Semantics(Operation.MovSx8To32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MovSx8To32(ulong dst, ulong operand) => (uint)(int)(sbyte)operand;

    [Semantics(Operation.MovSx16To32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MovSx16To32(ulong dst, ulong operand) => (uint)(int)(short)operand;

    [Semantics(Operation.Arsh32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Arsh32(ulong dst, ulong operand) => (uint)((int)dst >> (int)(operand & 31));

    // Byte swaps (RFC 9669 section 4.2). "To little endian" on a little-endian host only truncates; the kernel's
    // interpreter (kernel/bpf/core.c, ALU_END_TO_LE) does the same with a zero-extending cast.
    [Semantics(Operation.ToLe16)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ToLe16(ulong dst, ulong operand) =>
        BitConverter.IsLittleEndian ? (ushort)dst : BinaryPrimitives.ReverseEndianness((ushort)dst);

    [Semantics(Operation.ToLe32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ToLe32(ulong dst, ulong operand) =>
        BitConverter.IsLittleEndian ? (uint)dst : BinaryPrimitives.ReverseEndianness((uint)dst);

    [Semantics(Operation.ToLe64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ToLe64(ulong dst, ulong operand) =>
        BitConverter.IsLittleEndian ? dst : BinaryPrimitives.ReverseEndianness(dst);

    [Semantics(Operation.ToBe16)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ToBe16(ulong dst, ulong operand) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness((ushort)dst) : (ushort)dst;

    [Semantics(Operation.ToBe32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ToBe32(ulong dst, ulong operand) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness((uint)dst) : (uint)dst;

    [Semantics(Operation.ToBe64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ToBe64(ulong dst, ulong operand) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(dst) : dst;

    [Semantics(Operation.Swap16)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Swap16(ulong dst, ulong operand) => BinaryPrimitives.ReverseEndianness((ushort)dst);

    [Semantics(Operation.Swap32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Swap32(ulong dst, ulong operand) => BinaryPrimitives.ReverseEndianness((uint)dst);

    [Semantics(Operation.Swap64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Swap64(ulong dst, ulong operand) => BinaryPrimitives.ReverseEndianness(dst);
}
