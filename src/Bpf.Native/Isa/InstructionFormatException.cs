namespace Bpf.Native.Isa;

/// <summary>Bytecode that does not decode: the message names the slot and the reason.</summary>
public sealed class InstructionFormatException : Exception
{
    public InstructionFormatException(int slot, string reason)
        : base($"instruction {slot}: {reason}")
    {
        Slot = slot;
        Reason = reason;
    }

    /// <summary>Index of the offending 8-byte slot (-1 when the input as a whole is wrong).</summary>
    public int Slot { get; }

    public string Reason { get; }
}
