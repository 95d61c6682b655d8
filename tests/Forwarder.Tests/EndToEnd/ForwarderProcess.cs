using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Forwarder.Tests.EndToEnd;

/// <summary>The forwarder program (the build next to the tests) running as a process, possibly inside a namespace.</summary>
public sealed partial class ForwarderProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyMarker;

    private ForwarderProcess(Process process, string readyMarker)
    {
        _process = process;
        _readyMarker = readyMarker;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Binary => Path.Combine(AppContext.BaseDirectory, "forwarder");

    /// <summary>Starts `forwarder ARGS` in namespace <paramref name="ns"/> (null: here).</summary>
    public static ForwarderProcess Start(string? ns, string readyMarker, params string[] args) =>
        StartProgram(ns, readyMarker, Binary, args);

    /// <summary>Starts any program, in namespace <paramref name="ns"/> when not null.</summary>
    public static ForwarderProcess StartProgram(string? ns, string readyMarker, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(ns is null ? program : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        IEnumerable<string> all = ns is null ? args : new[] { "netns", "exec", ns, program }.Concat(args);
        foreach (string a in all) psi.ArgumentList.Add(a);
        return new ForwarderProcess(Process.Start(psi)!, readyMarker);
    }

    /// <summary>Runs `forwarder ARGS` to completion (here or in a namespace) and returns what it printed.</summary>
    public static ProcessResult Run(string? ns, TimeSpan timeout, params string[] args)
    {
        using ForwarderProcess p = Start(ns, "\u0000", args);
        if (!p._process.WaitForExit(timeout)) p._process.Kill(entireProcessTree: true);
        p._process.WaitForExit();
        return new ProcessResult(p._process.ExitCode, p.Output, "");
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.Contains(_readyMarker, StringComparison.Ordinal)) _ready.TrySetResult();
    }

    /// <summary>Waits for the ready marker; throws with the output when the process exits first or time runs out.</summary>
    public void WaitReady(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_ready.Task.IsCompleted)
        {
            if (_process.HasExited) throw new InvalidOperationException($"forwarder exited early ({_process.ExitCode}):\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"forwarder not ready:\n{Output}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited) return Output.Contains(text, StringComparison.Ordinal);
            Thread.Sleep(20);
        }
        return true;
    }

    public void Signal(int signal) => kill(_process.Id, signal);

    /// <summary>SIGINT (Ctrl-C) and wait for the exit code.</summary>
    public int Interrupt(TimeSpan timeout)
    {
        Signal(2);
        return WaitForExit(timeout);
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"forwarder did not exit:\n{Output}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>user + system CPU time of the process so far (from /proc/PID/stat), in clock ticks of 10 ms.</summary>
    public long CpuTicks()
    {
        string stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(f[11]) + long.Parse(f[12]);
    }

    /// <summary>Resident memory in kB (VmRSS).</summary>
    public long ResidentKb()
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line[6..].Trim().Split(' ')[0]);
        return 0;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    [LibraryImport("libc")]
    private static partial int kill(int pid, int signal);
}
