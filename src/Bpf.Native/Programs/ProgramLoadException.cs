namespace Bpf.Native.Programs;

/// <summary>An object or program that cannot be loaded for a reason other than the verifier's (its message says which).</summary>
public sealed class ProgramLoadException : Exception
{
    public ProgramLoadException(string message)
        : base(message)
    {
    }
}
