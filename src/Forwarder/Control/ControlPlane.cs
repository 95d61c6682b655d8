using Sched.Fast.Devices;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Time;
using DatapathEngine = Forwarder.Datapath.Datapath;

namespace Forwarder.Control;

/// <summary>
/// The control plane of a running instance: the tc engine over the datapath's devices, the startup batch
/// (run|bridge --tc FILE) and the control socket (/run/forwarder/NAME.sock). The datapath is given the engine's
/// kernel model: it applies root size tables and samples the rate estimators when due, between bursts.
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    private ControlServer? _server;

    private ControlPlane(DatapathEngine datapath, IClock clock)
    {
        Clock = clock;
        // The ports are up NICs: pfifo_fast comes back when their root is deleted (dev_activate()).
        foreach (NetDevice dev in datapath.Devices.All)
        {
            dev.IsUp = true;
            dev.DefaultQdiscKind = "pfifo_fast";
        }
        Engine = new TcEngine(new SchedApi(datapath.Devices, clock));
        datapath.AttachKernel(Engine.Kernel);
    }

    public TcEngine Engine { get; }

    public IClock Clock { get; }

    public string? SocketPath => _server?.SocketPath;

    /// <summary>
    /// Applies <paramref name="tcBatch"/> (when given) before traffic flows, printing what tc prints; then opens the
    /// control socket of instance <paramref name="name"/>. Throws <see cref="ControlException"/> when the batch
    /// fails or the socket cannot be created.
    /// </summary>
    public static async Task<ControlPlane> StartAsync(DatapathEngine datapath, IClock clock, string name, string? tcBatch,
        TextWriter stdout, TextWriter stderr)
    {
        if (!ControlSocket.IsValidName(name)) throw new ControlException($"invalid instance name \"{name}\"");
        var plane = new ControlPlane(datapath, clock);
        try
        {
            if (tcBatch is not null)
            {
                TcRunResult r = await datapath.InvokeAsync(() => plane.Engine.Run(["-b", tcBatch])).ConfigureAwait(false);
                Cli.TcCli.Replay(r.Output, stdout, stderr);
                if (r.ExitCode != 0) throw new ControlException($"the tc batch {tcBatch} failed (tc exit status {r.ExitCode})");
            }
            // A command runs on the datapath thread (at a safe point), and the first show JIT-compiles the printers:
            // 20 ms measured, which a shaper with a 1600-byte bucket never makes up. Pay that before traffic flows.
            await datapath.InvokeAsync(() =>
            {
                plane.Engine.Run(["-s", "qdisc", "show"]);
                return plane.Engine.Run(["-s", "-j", "qdisc", "show"]).ExitCode;
            }).ConfigureAwait(false);
            plane._server = new ControlServer(ControlSocket.PathFor(name), plane.Engine, new DatapathExecutor(datapath));
            try
            {
                plane._server.Start();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                throw new ControlException($"cannot create the control socket {ControlSocket.PathFor(name)}: {ex.Message}", ex);
            }
            return plane;
        }
        catch
        {
            await plane.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }
}
