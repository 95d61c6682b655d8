using System.Runtime.CompilerServices;
using Bpf.Native.Isa;

namespace Bpf.Native.Semantics;

/// <summary>
/// Loads and stores (RFC 9669 section 5.1): <c>dst = *(size *)(src + offset)</c>, zero-extended (MEM) or
/// sign-extended (MEMSX, cpu v4); <c>*(size *)(dst + offset) = src</c> (STX) or imm (ST, the imm sign-extended
/// first, so "stdw [r10-8], -1" stores eight 0xff bytes). Accesses may be unaligned. Addresses are not checked:
/// bounds are the verifier's job, and only verified programs run.
/// </summary>
public static unsafe class MemorySemantics
{
    /// <summary>base + offset, the offset sign-extended: the address every memory instruction uses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong EffectiveAddress(ulong baseAddress, long offset) => baseAddress + (ulong)offset;

    [Semantics(Operation.LoadU8)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoadU8(ulong address) => *(byte*)address;

    [Semantics(Operation.LoadU16)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoadU16(ulong address) => Unsafe.ReadUnaligned<ushort>((void*)address);

    [Semantics(Operation.LoadU32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoadU32(ulong address) => Unsafe.ReadUnaligned<uint>((void*)address);

    [Semantics(Operation.LoadU64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoadU64(ulong address) => Unsafe.ReadUnaligned<ulong>((void*)address);

    [Semantics(Operation.LoadS8)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoadS8(ulong address) => (ulong)(long)*(sbyte*)address;

    [Semantics(Operation.LoadS16)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoadS16(ulong address) => (ulong)(long)Unsafe.ReadUnaligned<short>((void*)address);

    [Semantics(Operation.LoadS32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoadS32(ulong address) => (ulong)(long)Unsafe.ReadUnaligned<int>((void*)address);

    [Semantics(Operation.Store8)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store8(ulong address, ulong value) => *(byte*)address = (byte)value;

    [Semantics(Operation.Store16)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store16(ulong address, ulong value) => Unsafe.WriteUnaligned((void*)address, (ushort)value);

    [Semantics(Operation.Store32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store32(ulong address, ulong value) => Unsafe.WriteUnaligned((void*)address, (uint)value);

    [Semantics(Operation.Store64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store64(ulong address, ulong value) => Unsafe.WriteUnaligned((void*)address, value);
}
