using System.Reflection;
using Bpf.Native.Execution;

namespace Bpf.Native.Helpers;

/// <summary>
/// One helper: its Linux id and name, its prototype, and the static method that implements it, with the signature
/// <c>static ulong Name(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)</c>. The JIT calls
/// <see cref="Method"/> directly (one direct call, which RyuJIT may even inline); the interpreter calls
/// <see cref="FunctionPointer"/>. <see cref="MayEndProgram"/> marks helpers that can end the run (bpf_tail_call),
/// after which the engines check for a pending tail call.
/// </summary>
public sealed unsafe class HelperDefinition
{
    private static readonly Type[] s_parameterTypes =
    [
        typeof(BpfRunContext*), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong),
    ];

    public HelperDefinition(int id, string name, HelperPrototype prototype, MethodInfo method, bool mayEndProgram = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, HelperTable.MaxHelperId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(prototype);
        ArgumentNullException.ThrowIfNull(method);
        var parameters = method.GetParameters();
        if (!method.IsStatic || method.ReturnType != typeof(ulong) || method.IsGenericMethodDefinition
            || parameters.Length != s_parameterTypes.Length
            || !parameters.Select(p => p.ParameterType).SequenceEqual(s_parameterTypes))
        {
            throw new ArgumentException(
                $"Helper {name} must be implemented by a static method " +
                "ulong (BpfRunContext*, ulong, ulong, ulong, ulong, ulong); " +
                $"{method.DeclaringType?.Name}.{method.Name} is not.", nameof(method));
        }
        Id = id;
        Name = name;
        Prototype = prototype;
        Method = method;
        MayEndProgram = mayEndProgram;
        FunctionPointer = method.MethodHandle.GetFunctionPointer();
    }

    public int Id { get; }

    public string Name { get; }

    public HelperPrototype Prototype { get; }

    public MethodInfo Method { get; }

    public bool MayEndProgram { get; }

    /// <summary>A <c>delegate*&lt;BpfRunContext*, ulong, ulong, ulong, ulong, ulong, ulong&gt;</c> to <see cref="Method"/>.</summary>
    public nint FunctionPointer { get; }

    public override string ToString() => $"{Name}#{Id} {Prototype}";
}
