using System.Reflection;
using Bpf.Native.Isa;

namespace Bpf.Native.Semantics;

/// <summary>
/// The one table of behaviour: for every value-computing operation, the method that defines it. The interpreter
/// calls these methods; the JIT emits calls to the same methods, which RyuJIT inlines. Control transfer (jumps,
/// calls, exit) and lddw are structural and follow <see cref="CallConvention"/>. Signatures by shape:
/// <list type="bullet">
/// <item>ALU: <c>ulong (ulong dst, ulong operand)</c></item>
/// <item>conditional jump: <c>bool (ulong dst, ulong operand)</c></item>
/// <item>load: <c>ulong (ulong address)</c>; store and atomic: <c>void (ulong address, ulong value)</c></item>
/// <item>atomic fetch and exchange: <c>ulong (ulong address, ulong value)</c> returning the old value</item>
/// <item>compare-exchange: <c>ulong (ulong address, ulong expected, ulong value)</c> returning the old value</item>
/// <item>packet load: <c>long (BpfRunContext*, ulong offset)</c>, negative when out of bounds</item>
/// </list>
/// </summary>
public static class SemanticsTable
{
    private static readonly MethodInfo?[] s_methods = Build();

    /// <summary>True when <paramref name="shape"/> computes values through the table (not control flow or lddw).</summary>
    public static bool HasMethod(OperationShape shape) => shape is OperationShape.Alu or OperationShape.ConditionalJump
        or OperationShape.Load or OperationShape.Store or OperationShape.Atomic or OperationShape.AtomicFetch
        or OperationShape.AtomicCompareExchange or OperationShape.PacketLoad;

    /// <summary>The method defining <paramref name="operation"/>.</summary>
    public static MethodInfo Method(Operation operation) => s_methods[(int)operation]
        ?? throw new ArgumentException($"{operation} is structural and has no semantics method.", nameof(operation));

    private static MethodInfo?[] Build()
    {
        var methods = new MethodInfo?[OperationCatalog.All.Count];
        var hosts = new[]
        {
            typeof(AluSemantics), typeof(JumpSemantics), typeof(MemorySemantics), typeof(AtomicSemantics),
            typeof(PacketSemantics),
        };
        foreach (var host in hosts)
        {
            foreach (var method in host.GetMethods(BindingFlags.Public | BindingFlags.Static))
            {
                foreach (var attribute in method.GetCustomAttributes<SemanticsAttribute>())
                {
                    int index = (int)attribute.Operation;
                    if (methods[index] is not null)
                    {
                        throw new InvalidOperationException($"{attribute.Operation} has two semantics methods.");
                    }
                    methods[index] = method;
                }
            }
        }
        foreach (var info in OperationCatalog.All)
        {
            bool has = methods[(int)info.Operation] is not null;
            if (has != HasMethod(info.Shape))
            {
                throw new InvalidOperationException(has
                    ? $"{info.Operation} is structural but has a semantics method."
                    : $"{info.Operation} has no semantics method.");
            }
        }
        return methods;
    }
}
