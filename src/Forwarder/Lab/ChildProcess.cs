using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Forwarder.Lab;

/// <summary>A long-running helper process of the demo (the forwarder, an iperf3 server), with its output relayed.</summary>
internal sealed partial class ChildProcess : IDisposable
{
    private const int SIGINT = 2;
    private readonly Process _process;
    private readonly TaskCompletionSource<bool> _readySeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _lines = [];

    private ChildProcess(Process process, string label, TextWriter relay, string? readyMarker, bool echo)
    {
        _process = process;
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (_lines) _lines.Add(line);
            if (echo) lock (relay) relay.WriteLine($"  [{label}] {line}");
            if (readyMarker is not null && line.Contains(readyMarker, StringComparison.Ordinal)) _readySeen.TrySetResult(true);
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => _readySeen.TrySetResult(false);
    }

    public static ChildProcess Start(string file, IEnumerable<string> args, string label, TextWriter relay,
        string? readyMarker = null, bool echo = true) =>
        new(Shell.Start(file, args), label, relay, readyMarker, echo);

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    /// <summary>True once the ready marker was printed; false if the process exited first or the time ran out.</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken token)
    {
        Task done = await Task.WhenAny(_readySeen.Task, Task.Delay(timeout, token));
        return done == _readySeen.Task && _readySeen.Task.Result;
    }

    /// <summary>SIGINT, then wait up to <paramref name="grace"/>, then kill.</summary>
    public void Interrupt(TimeSpan grace)
    {
        if (_process.HasExited) return;
        kill(_process.Id, SIGINT);
        if (!_process.WaitForExit(grace)) Kill();
        _process.WaitForExit();
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public int WaitForExit()
    {
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to exit (then for its output to drain); cancellation leaves it to the caller to kill.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken token)
    {
        await _process.WaitForExitAsync(token);
        return _process.ExitCode;
    }

    /// <summary>Everything the process printed, one line each.</summary>
    public string Text => string.Join('\n', Lines);

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
