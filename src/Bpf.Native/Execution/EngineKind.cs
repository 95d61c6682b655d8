namespace Bpf.Native.Execution;

/// <summary>Which engine runs a program. Both run the same verified programs with the same semantics table.</summary>
public enum EngineKind
{
    Interpreter,
    Jit,
}
