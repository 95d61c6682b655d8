using Bpf.Native.Isa;

namespace Bpf.Native.Semantics;

/// <summary>Marks the one method that defines what <see cref="Operation"/> does; <see cref="SemanticsTable"/> collects them.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SemanticsAttribute(Operation operation) : Attribute
{
    public Operation Operation { get; } = operation;
}
