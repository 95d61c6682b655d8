namespace Bpf.Native.Verifier;

/// <summary>
/// One function of a program: instructions [<see cref="Start"/>, <see cref="End"/>). Function 0 is the entry.
/// <see cref="FrameBytes"/> is how far below its r10 the function uses the stack, rounded as the kernel rounds
/// stacked frames; a function it calls gets r10 = this r10 - FrameBytes.
/// </summary>
public sealed record Subprogram(int Index, int Start, int End, int FrameBytes)
{
    public int Length => End - Start;
}
