using Bpf.Native.Execution;

namespace Bpf.Native.Tests.Support;

/// <summary>Helper implementations for tests, with the helper signature the engines call.</summary>
internal static unsafe class TestHelpers
{
    public static ulong ReturnsFirstArgument(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => r1;

    /// <summary>Mixes all five arguments so that a wrong argument order shows.</summary>
    public static ulong MixesArguments(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        r1 * 1 + r2 * 10 + r3 * 100 + r4 * 1000 + r5 * 10000;

    /// <summary>Returns the context pointer it sees, to prove helpers get the run context.</summary>
    public static ulong ReturnsContext(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        (ulong)run->Context;
}
