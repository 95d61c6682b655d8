namespace Sched.Fast.Tc;

/// <summary>
/// A tc command that cannot be carried out. <see cref="Exception.Message"/> is what tc prints on stderr (possibly
/// several lines, e.g. an error and a usage text); <see cref="ExitCode"/> is tc's exit status. Errors the kernel
/// reports through netlink extack read "Error: ..." exactly as tc prints them; create those with
/// <see cref="Kernel"/>.
/// </summary>
public sealed class TcException : Exception
{
    public TcException(string message, int exitCode = 1, string? token = null) : base(message)
    {
        ExitCode = exitCode;
        Token = token;
    }

    public int ExitCode { get; }

    /// <summary>The word the error is about, when there is one.</summary>
    public string? Token { get; }

    /// <summary>An error the kernel would return through extack: printed as "Error: MESSAGE".</summary>
    public static TcException Kernel(string extackMessage) => new($"Error: {extackMessage}", 2);

    /// <summary>iproute2's incomplete_command().</summary>
    public static TcException Incomplete() => new("Command line is not complete. Try option \"help\"", 255);

    /// <summary>"Illegal \"limit\"" and the like: a keyword whose value failed to parse.</summary>
    public static TcException Illegal(string what, string? token = null) => new($"Illegal \"{what}\"", 1, token);
}
