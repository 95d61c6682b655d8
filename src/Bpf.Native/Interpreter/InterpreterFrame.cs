namespace Bpf.Native.Interpreter;

/// <summary>
/// What a program-local call saves: where to return, and the caller's r1-r9 and r10. r6-r9 survive calls by the
/// calling convention (RFC 9669 section 4.3.1); r1-r5 are restored as well because the JIT, where each function has
/// its own locals, leaves them untouched too (the kernel verifier forbids reading them after a call anyway).
/// </summary>
internal unsafe struct InterpreterFrame
{
    public InterpreterInstruction* ReturnTo;
    public fixed ulong Registers[10];
}
