namespace Sched.Fast.Tc;

/// <summary>
/// Errors of the kernel half, shaped as iproute2 prints a failed netlink request (lib/libnetlink.c): an extack
/// message as "Error: MESSAGE" (<see cref="TcException.Kernel"/>), or without one "RTNETLINK answers: strerror".
/// The command that sent the request adds its own line ("We have an error talking to the kernel") and exit code.
/// </summary>
public static class KernelError
{
    /// <summary>NL_SET_ERR_MSG(extack, message).</summary>
    public static TcException ExtAck(string message) => TcException.Kernel(message);

    /// <summary>NL_SET_ERR_MSG_MOD(extack, message): the module name prefixes the message.</summary>
    public static TcException ExtAckMod(string module, string message) => TcException.Kernel($"{module}: {message}");

    /// <summary>A bare -errno: "RTNETLINK answers: Invalid argument".</summary>
    public static TcException Errno(int errno) => TcException.Errno(errno);

    /// <summary>Whether <paramref name="e"/> is a kernel-side error (as opposed to a tc parse error).</summary>
    public static bool IsKernel(TcException e) =>
        e.ExitCode == 2 && (e.Message.StartsWith("Error: ", StringComparison.Ordinal) ||
                            e.Message.StartsWith("RTNETLINK answers: ", StringComparison.Ordinal));

    /// <summary>
    /// The stderr text of a failed request as tc prints it: print_ext_ack_msg() ends an extack message with '.',
    /// then the command's own line.
    /// </summary>
    public static string Format(TcException e, string? commandLine = "We have an error talking to the kernel")
    {
        string m = e.Message;
        if (m.StartsWith("Error: ", StringComparison.Ordinal) && !m.EndsWith('.')) m += ".";
        return commandLine is null ? m : m + "\n" + commandLine;
    }

    public static string StrError(int errno) => Tc.Errno.Describe(errno);
}
