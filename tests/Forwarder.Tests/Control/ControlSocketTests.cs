using System.Diagnostics;
using Forwarder.Cli;
using Forwarder.Control;
using Sched.Fast.Tc.Commands;

namespace Forwarder.Tests.Control;

/// <summary>
/// The control socket end to end: a server on a Unix socket in a temporary run directory, the real client, and
/// a client started as another user (these tests run as root, as CI does).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ControlSocketTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"tc-core-ctl-{Guid.NewGuid():N}");
    private ControlServer? _server;

    private string SocketPath => Path.Combine(_dir, "test.sock");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101); // 0755: others may reach the socket file
        _server = new ControlServer(SocketPath, TcOffline.Create(), new InlineExecutor());
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_command_runs_in_the_instance_and_prints_what_tc_prints()
    {
        TcRunResult add = await ControlClient.RunAsync(SocketPath, ["qdisc", "add", "dev", "t0", "root", "pfifo", "limit", "7"], TextReader.Null);
        TcRunResult show = await ControlClient.RunAsync(SocketPath, ["-s", "qdisc", "show", "dev", "t0"], TextReader.Null);
        TcRunResult again = await ControlClient.RunAsync(SocketPath, ["qdisc", "add", "dev", "t0", "root", "pfifo"], TextReader.Null);

        Assert.Equal((0, ""), (add.ExitCode, add.Output.Combined));
        Assert.Equal("qdisc pfifo 8001: root refcnt 2 limit 7p\n Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) \n" +
                     " backlog 0b 0p requeues 0\n", show.Stdout);
        Assert.Equal((2, "Error: Exclusivity flag on, cannot modify.\n"), (again.ExitCode, again.Stderr));
    }

    [Fact]
    public async Task Batch_files_are_read_by_the_client_and_run_by_the_instance()
    {
        string batch = Path.Combine(_dir, "b.tc");
        await File.WriteAllTextAsync(batch, "qdisc add dev t1 root bfifo limit 10kb\nqdisc show dev t1\nqdisc add dev t1 root bfifo\n");

        TcRunResult r = await ControlClient.RunAsync(SocketPath, ["-b", batch], TextReader.Null);
        TcRunResult missing = await ControlClient.RunAsync(SocketPath, ["-b", batch + ".none"], TextReader.Null);

        Assert.Equal((1, "qdisc bfifo 8001: root refcnt 2 limit 10Kb\nError: Exclusivity flag on, cannot modify.\n" +
                         $"Command failed {batch}:3\n"), (r.ExitCode, r.Output.Combined));
        Assert.Equal((1, $"Cannot open file \"{batch}.none\" for reading: No such file or directory\n"),
            (missing.ExitCode, missing.Output.Combined));
    }

    [Fact]
    public void The_socket_is_private_to_the_user_that_started_the_instance()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        Assert.Equal(0u, PeerCredentials.CurrentUserId); // these tests run as root, the owner
    }

    [Fact]
    public async Task Another_user_cannot_connect()
    {
        (int exit, string stderr) = RunClientAs(65534, "qdisc", "add", "dev", "t0", "root", "pfifo");

        Assert.Equal(1, exit);
        Assert.Equal($"forwarder tc: permission denied connecting to {SocketPath}\n", stderr);
        Assert.Equal(0, _server!.RefusedConnections); // the file mode stopped it before the server saw it
        TcRunResult show = await ControlClient.RunAsync(SocketPath, ["qdisc", "show", "dev", "t0"], TextReader.Null);
        Assert.Equal("", show.Output.Combined); // nothing was applied
    }

    [Fact]
    public async Task Another_user_is_refused_by_credentials_even_through_a_world_writable_socket()
    {
        File.SetUnixFileMode(SocketPath, (UnixFileMode)0b110_110_110); // 0666, as if misconfigured

        (int exit, string stderr) = RunClientAs(65534, "qdisc", "add", "dev", "t0", "root", "pfifo");

        Assert.Equal(1, exit);
        Assert.Equal("forwarder tc: permission denied: uid 65534 may not control this instance\n", stderr);
        Assert.Equal(1, _server!.RefusedConnections);
        TcRunResult show = await ControlClient.RunAsync(SocketPath, ["qdisc", "show", "dev", "t0"], TextReader.Null);
        Assert.Equal("", show.Output.Combined); // nothing was applied
    }

    [Fact]
    public void The_only_instance_is_found_and_several_need_a_name()
    {
        string? old = Environment.GetEnvironmentVariable("FORWARDER_RUN_DIR");
        try
        {
            Environment.SetEnvironmentVariable("FORWARDER_RUN_DIR", _dir);
            Assert.Equal(SocketPath, ControlSocket.ResolveInstance(null));
            File.WriteAllText(Path.Combine(_dir, "other.sock"), "");
            Assert.Contains("choose one with --instance NAME",
                Assert.Throws<ControlException>(() => ControlSocket.ResolveInstance(null)).Message);
            Assert.Equal(SocketPath, ControlSocket.ResolveInstance("test"));
            Assert.Throws<ControlException>(() => ControlSocket.ResolveInstance("../etc/x"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("FORWARDER_RUN_DIR", old);
        }
    }

    [Fact]
    public async Task A_name_in_use_is_refused_and_a_stale_socket_is_replaced()
    {
        await using var second = new ControlServer(SocketPath, TcOffline.Create(), new InlineExecutor());
        Assert.Throws<ControlException>(second.Start);

        string stale = Path.Combine(_dir, "stale.sock");
        using (var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix,
                   System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            s.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(stale)); // left behind, nobody listening
        }
        await using var third = new ControlServer(stale, TcOffline.Create(), new InlineExecutor());
        third.Start();
        TcRunResult r = await ControlClient.RunAsync(stale, ["qdisc", "show"], TextReader.Null);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void Forwarder_tc_offline_runs_a_batch_and_prints_what_tc_prints()
    {
        string batch = Path.Combine(_dir, "o.tc");
        File.WriteAllText(batch, "qdisc add dev t0 root pfifo limit 5\nqdisc show\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exit = TcCli.Run(["--offline", "-j", "-b", batch], stdout, stderr);

        Assert.Equal((0, "[{\"kind\":\"pfifo\",\"handle\":\"8001:\",\"dev\":\"t0\",\"root\":true,\"refcnt\":2,\"options\":{\"limit\":5}}]\n", ""),
            (exit, stdout.ToString(), stderr.ToString()));
    }

    /// <summary>
    /// Runs "forwarder tc --socket PATH ARGS" as user <paramref name="uid"/> (setpriv), from a world-readable copy of
    /// the build (the checkout itself may not be readable by that user).
    /// </summary>
    private (int Exit, string Stderr) RunClientAs(int uid, params string[] tcArgs)
    {
        string bin = Path.Combine(_dir, "bin");
        if (!Directory.Exists(bin))
        {
            Directory.CreateDirectory(bin);
            File.SetUnixFileMode(bin, (UnixFileMode)0b111_101_101);
            foreach (string f in Directory.EnumerateFiles(AppContext.BaseDirectory))
            {
                if (!f.EndsWith(".dll", StringComparison.Ordinal) && !f.EndsWith(".json", StringComparison.Ordinal)) continue;
                string copy = Path.Combine(bin, Path.GetFileName(f));
                File.Copy(f, copy);
                File.SetUnixFileMode(copy, (UnixFileMode)0b110_100_100);
            }
        }
        string dll = Path.Combine(bin, "forwarder.dll");
        var psi = new ProcessStartInfo("setpriv")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string a in new[] { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "dotnet", dll, "tc", "--socket", SocketPath })
            psi.ArgumentList.Add(a);
        foreach (string a in tcArgs) psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = "/tmp";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using Process p = Process.Start(psi)!;
        string stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stderr);
    }
}
