using System.Diagnostics;
using Forwarder.Lab;

namespace Forwarder.Tests.EndToEnd;

/// <summary>
/// A private copy of the three-namespace lab for one test: names carry a prefix unique to this process and test, so
/// tests run beside other people's labs on the same machine, and disposing removes everything even after a failure.
/// </summary>
public sealed class Lab : IDisposable
{
    private static int s_counter;

    private static int s_sweptStale;

    public Lab(bool offloads = true)
    {
        if (Interlocked.Exchange(ref s_sweptStale, 1) == 0) RemoveStaleLabs();
        Prefix = $"fnde{Environment.ProcessId}x{Interlocked.Increment(ref s_counter)}-";
        Topology = new LabTopology(Prefix);
        Topology.Up(offloads);
    }

    /// <summary>Labs of test processes that died before disposing them (names carry the creator's pid).</summary>
    private static void RemoveStaleLabs()
    {
        foreach (string line in Run("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = line.Split(' ')[0];
            var m = System.Text.RegularExpressions.Regex.Match(name, @"^fnde(\d+)x\d+-(gen|fwd|sink)$");
            if (m.Success && !Directory.Exists($"/proc/{m.Groups[1].Value}")) Run("netns", "del", name);
        }
    }

    public string Prefix { get; }
    public LabTopology Topology { get; }

    /// <summary>Runs a command inside one of the lab's namespaces.</summary>
    public ProcessResult Exec(string ns, TimeSpan timeout, params string[] command)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "netns", "exec", ns }.Concat(command)) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        Task<string> o = p.StandardOutput.ReadToEndAsync(), e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, o.Result, e.Result);
    }

    public ProcessResult Ip(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        Task<string> o = p.StandardOutput.ReadToEndAsync(), e = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, o.Result, e.Result);
    }

    public void Dispose() => Topology.Down();

    /// <summary>`ip netns pids NS`: the processes inside a namespace.</summary>
    public sealed class Pids(string ns)
    {
        public string Read() => Run("netns", "pids", ns);
    }

    /// <summary>`ip netns list`.</summary>
    public sealed class Namespaces
    {
        public string Read() => Run("netns", "list");
    }

    private static string Run(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return o;
    }
}

public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;
}
