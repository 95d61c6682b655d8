namespace Bpf.Native.Verifier;

/// <summary>
/// The registers and stack of one function frame (the kernel's struct bpf_func_state): frame 0 is the program,
/// each bpf-to-bpf call adds one. <see cref="CallSite"/> is the call instruction in the caller (-1 for frame 0).
/// </summary>
internal sealed class FrameState
{
    public const int RegisterCount = 11;

    public RegisterState[] Registers = new RegisterState[RegisterCount];

    /// <summary>Slots touched so far (the kernel's allocated_stack / 8); slot i is at fp-8*(i+1).</summary>
    public StackSlot[] Stack = [];

    public int CallSite = -1;
    public int FrameNo;
    public int Subprogram;

    public int AllocatedBytes => Stack.Length * 8;

    public FrameState Clone() => new()
    {
        Registers = (RegisterState[])Registers.Clone(),
        Stack = (StackSlot[])Stack.Clone(),
        CallSite = CallSite,
        FrameNo = FrameNo,
        Subprogram = Subprogram,
    };

    /// <summary>grow_stack_state: make room for <paramref name="bytes"/> bytes below fp.</summary>
    public void GrowStack(int bytes)
    {
        int slots = (bytes + 7) / 8;
        if (slots > Stack.Length)
        {
            var grown = new StackSlot[slots];
            Stack.CopyTo(grown, 0);
            Stack = grown;
        }
    }
}
