using System.Runtime.InteropServices;

namespace Forwarder.Cli;

/// <summary>
/// A shell starts background jobs of a script with SIGINT ignored, and .NET then leaves SIGINT ignored too, so
/// `kill -INT` (what benchmark harnesses send) would not stop the forwarder. When SIGINT arrives ignored, the process
/// resets it to the default and re-executes itself once, so that its handler (clean stop, summary) is installed.
/// </summary>
internal static unsafe partial class SignalDisposition
{
    private const int SIGINT = 2;
    private const string Marker = "FORWARDER_SIGINT_RESTORED";

    public static void EnsureSigintHandled(string[] args)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Marker) is not null) return;
        // struct sigaction on 64-bit glibc is 152 bytes; the handler is its first word (SIG_IGN = 1).
        byte* old = stackalloc byte[256];
        if (sigaction(SIGINT, null, old) != 0 || *(nint*)old != 1) return;
        byte* act = stackalloc byte[256];
        new Span<byte>(act, 256).Clear(); // SIG_DFL, empty mask, no flags
        if (sigaction(SIGINT, act, null) != 0) return;
        Environment.SetEnvironmentVariable(Marker, "1");
        string path = Environment.ProcessPath ?? "/proc/self/exe";
        var argv = new List<string> { path };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet") argv.Add(Path.Combine(AppContext.BaseDirectory, "forwarder.dll"));
        argv.AddRange(args);
        nint* native = stackalloc nint[argv.Count + 1];
        for (int i = 0; i < argv.Count; i++) native[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
        native[argv.Count] = 0;
        execv((byte*)native[0], native);
        // execv returned: carry on with SIGINT at its default (terminate) rather than ignored.
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sigaction(int signal, byte* act, byte* oldAct);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int execv(byte* path, nint* argv);
}
