namespace Sched.Fast.Tc;

/// <summary>
/// A tc command that cannot be carried out. <see cref="Exception.Message"/> is what tc prints on stderr (possibly
/// several lines, e.g. an error and a usage text); <see cref="ExitCode"/> is tc's exit status. Errors the kernel
/// reports through netlink extack read "Error: ..." exactly as tc prints them; create those with
/// <see cref="Kernel"/>, and bare errno failures ("RTNETLINK answers: ...") with <see cref="Errno"/>.
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

    /// <summary>
    /// The error ends the whole tc process, as iproute2's exit() helpers do (invarg, duparg, incomplete_command,
    /// makeargs): in a batch, no "Command failed" line follows and no later line runs, even with -force.
    /// </summary>
    public bool Exits { get; init; }

    /// <summary>
    /// An error the kernel would return through extack: printed as "Error: MESSAGE." (lib/libnetlink.c
    /// print_ext_ack_msg() adds the final period when the message lacks one); tc exits with 2.
    /// </summary>
    public static TcException Kernel(string extackMessage) =>
        new(extackMessage.EndsWith('.') ? $"Error: {extackMessage}" : $"Error: {extackMessage}.", 2);

    /// <summary>A kernel error without an extack message: "RTNETLINK answers: No such file or directory".</summary>
    public static TcException Errno(int errno) => new($"RTNETLINK answers: {Tc.Errno.Describe(errno)}", 2);

    /// <summary>iproute2's incomplete_command(): exit(-1).</summary>
    public static TcException Incomplete() =>
        new("Command line is not complete. Try option \"help\"", 255) { Exits = true };

    /// <summary>"Illegal \"limit\"" and the like: a keyword whose value failed to parse.</summary>
    public static TcException Illegal(string what, string? token = null) => new($"Illegal \"{what}\"", 1, token);

    /// <summary>lib/utils.c invarg(): "Error: argument "ARG" is wrong: MSG", then exit(-1).</summary>
    public static TcException InvalidArgument(string message, string arg) =>
        new($"Error: argument \"{arg}\" is wrong: {message}", 255, arg) { Exits = true };

    /// <summary>lib/utils.c duparg(): "Error: duplicate "KEY": "ARG" is the second value.", then exit(-1).</summary>
    public static TcException DuplicateArgument(string key, string arg) =>
        new($"Error: duplicate \"{key}\": \"{arg}\" is the second value.", 255, arg) { Exits = true };

    /// <summary>A message followed by exit(<paramref name="exitCode"/>): the whole tc run ends.</summary>
    public static TcException Exit(string message, int exitCode = 255) => new(message, exitCode) { Exits = true };
}
