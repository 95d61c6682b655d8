namespace Bpf.Native.Verifier;

/// <summary>What one byte of the stack holds (the kernel's enum bpf_stack_slot_type; the log prints the letters).</summary>
internal enum StackSlotType : byte
{
    /// <summary>Never written ('?'). A privileged program may read it anyway (allow_uninit_stack).</summary>
    Invalid,
    /// <summary>Part of a spilled register whose state is kept ('r').</summary>
    Spill,
    /// <summary>Some data ('m').</summary>
    Misc,
    /// <summary>Known zero ('0').</summary>
    Zero,
}
