namespace Bpf.Native.Isa;

/// <summary>
/// Bit 3 of an arithmetic or jump opcode (RFC 9669 section 3.2): the second operand is the 32-bit immediate (K)
/// or the source register (X). Canonical instructions reuse it for stores (ST = immediate, STX = register) and
/// legacy packet loads (ABS = immediate offset, IND = source register plus immediate).
/// </summary>
public enum OperandSource : byte
{
    Immediate = 0x00,
    Register = 0x08,
}
