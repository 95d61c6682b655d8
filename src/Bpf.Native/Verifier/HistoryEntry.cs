namespace Bpf.Native.Verifier;

/// <summary>
/// One entry of a path's history (the kernel's struct bpf_jmp_history_entry): instruction <see cref="Instruction"/>
/// was reached from <see cref="Previous"/>; a spill or fill there touched stack slot <see cref="StackSlot"/> of frame
/// <see cref="StackFrame"/>; a conditional jump there compared a stack pointer (whose register needs no precision);
/// <see cref="Linked"/> lists the scalars that shared an id at a conditional jump.
/// </summary>
internal sealed class HistoryEntry
{
    public int Instruction;
    public int Previous;

    /// <summary>Frame and slot of a spill or fill, or -1.</summary>
    public int StackFrame = -1;
    public int StackSlot = -1;

    public bool SourceIsStackPointer;
    public bool DestinationIsStackPointer;

    /// <summary>Linked scalars: (frame, register) or (frame, -1 - slot) for spilled ones.</summary>
    public List<(int Frame, int Location)>? Linked;
}
