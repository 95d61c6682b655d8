using System.Runtime.InteropServices;
using Bpf.Native.Isa;

namespace Bpf.Native.Interpreter;

/// <summary>
/// An instruction prepared for the interpreter's loop, 16 bytes: jump and call targets resolved to instruction
/// indexes (in <see cref="Offset"/>), helpers resolved to function pointers and a local call's frame size (in
/// <see cref="Immediate"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InterpreterInstruction
{
    public Operation Operation;
    public byte Dst;
    public byte Src;
    /// <summary>1 when the second operand is the source register.</summary>
    public byte UsesRegister;
    /// <summary>Memory offset, or the target instruction index of a jump or local call.</summary>
    public int Offset;
    /// <summary>Sign-extended imm, lddw value, helper function pointer, or a local call's caller frame size.</summary>
    public long Immediate;
}
