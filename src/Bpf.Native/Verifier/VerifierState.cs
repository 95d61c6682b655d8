namespace Bpf.Native.Verifier;

/// <summary>
/// The whole abstract machine at one point of one path (the kernel's struct bpf_verifier_state): the frames of the
/// calls in progress and the references held (ring buffer records not yet submitted). Checkpoints kept for pruning
/// also count the paths still being explored below them (<see cref="Branches"/>), linked by <see cref="Parent"/>.
/// </summary>
internal sealed class VerifierState
{
    public List<FrameState> Frames = [];

    /// <summary>Acquired references: id and the instruction that acquired it.</summary>
    public List<(int Id, int Instruction)> References = [];

    /// <summary>The checkpoint this path last passed (for branch counting).</summary>
    public VerifierState? Parent;

    /// <summary>Paths still being explored from this state (a checkpoint is complete at 0).</summary>
    public int Branches;

    /// <summary>A checkpoint dropped from the explored list while paths below it were still being explored.</summary>
    public bool Evicted;

    /// <summary>The instruction a checkpoint was taken at.</summary>
    public int Instruction;

    /// <summary>First and last instruction of the stretch of path this state covers (since its parent).</summary>
    public int FirstInstruction;
    public int LastInstruction;

    /// <summary>
    /// How the path reached instructions of this stretch that are not simply the next one, and what they did to the
    /// stack (the kernel's jmp_history), for precision backtracking.
    /// </summary>
    public List<HistoryEntry> History = [];

    public int CurrentFrameIndex => Frames.Count - 1;

    public FrameState CurrentFrame => Frames[^1];

    public RegisterState[] Registers => Frames[^1].Registers;

    public VerifierState Clone()
    {
        var copy = new VerifierState
        {
            References = [.. References],
            Parent = Parent,
            Branches = Branches,
            Instruction = Instruction,
            FirstInstruction = FirstInstruction,
            LastInstruction = LastInstruction,
            History = [.. History],
        };
        foreach (var frame in Frames)
        {
            copy.Frames.Add(frame.Clone());
        }
        return copy;
    }
}
