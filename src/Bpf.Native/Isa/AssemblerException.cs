namespace Bpf.Native.Isa;

/// <summary>Assembly text that does not assemble: the message names the line and what was wrong.</summary>
public sealed class AssemblerException : Exception
{
    public AssemblerException(int line, string reason)
        : base($"line {line}: {reason}")
    {
        Line = line;
        Reason = reason;
    }

    /// <summary>1-based line number in the source.</summary>
    public int Line { get; }

    public string Reason { get; }
}
