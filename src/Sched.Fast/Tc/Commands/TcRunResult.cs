namespace Sched.Fast.Tc.Commands;

/// <summary>The outcome of one tc invocation: what it printed and tc's exit status (0..255).</summary>
public sealed record TcRunResult(int ExitCode, TcOutput Output)
{
    public string Stdout => Output.Stdout;
    public string Stderr => Output.Stderr;
}
