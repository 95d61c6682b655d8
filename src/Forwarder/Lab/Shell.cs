using System.Diagnostics;

namespace Forwarder.Lab;

/// <summary>Runs the system tools the lab needs (ip, ethtool, ping, iperf3) and reports failures clearly.</summary>
internal static class Shell
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> to completion (or until the timeout, then kills it).</summary>
    public static Result Run(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        using (Process p = Start(file, args))
        {
            p.StandardInput.Close();
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.WaitForExit();
            }
            return new Result(p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>
    /// Starts <paramref name="file"/> with its standard streams redirected; a tool that is not installed is a
    /// <see cref="LabException"/> that says which package brings it.
    /// </summary>
    public static Process Start(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        try
        {
            return Process.Start(psi) ?? throw new LabException($"cannot start {file}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new LabException($"{file} is not installed: {InstallHint(file)}");
        }
    }

    /// <summary>Runs a command that must succeed.</summary>
    public static string Check(string file, params string[] args)
    {
        Result r = Run(file, args);
        if (r.ExitCode != 0)
            throw new LabException($"`{file} {string.Join(' ', args)}` failed ({r.ExitCode}): {r.Error.Trim()}{r.Output.Trim()}");
        return r.Output;
    }

    /// <summary>Runs a command whose failure does not matter (cleanup).</summary>
    public static void Try(string file, params string[] args)
    {
        try
        {
            Run(file, args, TimeSpan.FromSeconds(20));
        }
        catch (LabException)
        {
        }
    }

    public static string InstallHint(string tool) => tool switch
    {
        "ip" => "apt-get install iproute2",
        "ethtool" => "apt-get install ethtool",
        "iperf3" => "apt-get install iperf3",
        "ping" => "apt-get install iputils-ping",
        "trafgen" => "apt-get install netsniff-ng",
        _ => $"install {tool}",
    };
}
