using System.Runtime.CompilerServices;
using Bpf.Native.Isa;

namespace Bpf.Native.Semantics;

/// <summary>
/// Atomic read-modify-write on <c>*(size *)(dst + offset)</c> (RFC 9669 section 5.3), atomic with respect to other
/// threads (maps are shared by datapath threads). Fetch variants and exchange return the old value, which the engine
/// writes to src; compare-exchange compares with r0 and returns the old value for r0. 32-bit forms return the old
/// value zero-extended (kernel/bpf/core.c, ATOMIC_STX with BPF_W: "(u32) atomic_fetch_add(...)").
/// </summary>
public static unsafe class AtomicSemantics
{
    [Semantics(Operation.AtomicAdd32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtomicAdd32(ulong address, ulong value) => Interlocked.Add(ref Word(address), (uint)value);

    [Semantics(Operation.AtomicOr32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtomicOr32(ulong address, ulong value) => Interlocked.Or(ref Word(address), (uint)value);

    [Semantics(Operation.AtomicAnd32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtomicAnd32(ulong address, ulong value) => Interlocked.And(ref Word(address), (uint)value);

    [Semantics(Operation.AtomicXor32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtomicXor32(ulong address, ulong value) => FetchXor32(address, value);

    [Semantics(Operation.AtomicFetchAdd32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FetchAdd32(ulong address, ulong value) => Interlocked.Add(ref Word(address), (uint)value) - (uint)value;

    [Semantics(Operation.AtomicFetchOr32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FetchOr32(ulong address, ulong value) => Interlocked.Or(ref Word(address), (uint)value);

    [Semantics(Operation.AtomicFetchAnd32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FetchAnd32(ulong address, ulong value) => Interlocked.And(ref Word(address), (uint)value);

    [Semantics(Operation.AtomicFetchXor32)]
    public static ulong FetchXor32(ulong address, ulong value)
    {
        ref uint word = ref Word(address);
        uint old = Volatile.Read(ref word);
        while (true)
        {
            uint seen = Interlocked.CompareExchange(ref word, old ^ (uint)value, old);
            if (seen == old)
            {
                return old;
            }
            old = seen;
        }
    }

    [Semantics(Operation.AtomicExchange32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Exchange32(ulong address, ulong value) => Interlocked.Exchange(ref Word(address), (uint)value);

    [Semantics(Operation.AtomicCompareExchange32)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CompareExchange32(ulong address, ulong expected, ulong value) =>
        Interlocked.CompareExchange(ref Word(address), (uint)value, (uint)expected);

    [Semantics(Operation.AtomicAdd64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtomicAdd64(ulong address, ulong value) => Interlocked.Add(ref DoubleWord(address), value);

    [Semantics(Operation.AtomicOr64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtomicOr64(ulong address, ulong value) => Interlocked.Or(ref DoubleWord(address), value);

    [Semantics(Operation.AtomicAnd64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtomicAnd64(ulong address, ulong value) => Interlocked.And(ref DoubleWord(address), value);

    [Semantics(Operation.AtomicXor64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtomicXor64(ulong address, ulong value) => FetchXor64(address, value);

    [Semantics(Operation.AtomicFetchAdd64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FetchAdd64(ulong address, ulong value) => Interlocked.Add(ref DoubleWord(address), value) - value;

    [Semantics(Operation.AtomicFetchOr64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FetchOr64(ulong address, ulong value) => Interlocked.Or(ref DoubleWord(address), value);

    [Semantics(Operation.AtomicFetchAnd64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FetchAnd64(ulong address, ulong value) => Interlocked.And(ref DoubleWord(address), value);

    [Semantics(Operation.AtomicFetchXor64)]
    public static ulong FetchXor64(ulong address, ulong value)
    {
        ref ulong word = ref DoubleWord(address);
        ulong old = Volatile.Read(ref word);
        while (true)
        {
            ulong seen = Interlocked.CompareExchange(ref word, old ^ value, old);
            if (seen == old)
            {
                return old;
            }
            old = seen;
        }
    }

    [Semantics(Operation.AtomicExchange64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Exchange64(ulong address, ulong value) => Interlocked.Exchange(ref DoubleWord(address), value);

    [Semantics(Operation.AtomicCompareExchange64)] [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CompareExchange64(ulong address, ulong expected, ulong value) =>
        Interlocked.CompareExchange(ref DoubleWord(address), value, expected);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref uint Word(ulong address) => ref Unsafe.AsRef<uint>((void*)address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref ulong DoubleWord(ulong address) => ref Unsafe.AsRef<ulong>((void*)address);
}
