namespace Bpf.Native.Interpreter;

/// <summary>What a program-local call saves: where to return, and the caller's r6-r9 and r10 (RFC 9669 section 4.3.1).</summary>
internal unsafe struct InterpreterFrame
{
    public InterpreterInstruction* ReturnTo;
    public ulong R6;
    public ulong R7;
    public ulong R8;
    public ulong R9;
    public ulong R10;
}
