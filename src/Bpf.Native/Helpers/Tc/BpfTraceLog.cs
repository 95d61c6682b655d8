namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// Where bpf_trace_printk writes (the kernel's trace_pipe): each message goes to <see cref="Message"/> handlers,
/// which the host points at its log. Messages are formatted strings, so tracing allocates; it is a debugging aid,
/// as it is in the kernel.
/// </summary>
public static class BpfTraceLog
{
    /// <summary>Raised with each formatted message (without a trailing newline added).</summary>
    public static event Action<string>? Message;

    internal static bool HasListeners => Message is not null;

    internal static void Write(string message) => Message?.Invoke(message);
}
