using Sched.Fast.Devices;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Time;
using DatapathEngine = Forwarder.Datapath.Datapath;

namespace Forwarder.Control;

/// <summary>
/// The control plane of a running instance: the tc engine over the datapath's devices, the startup batch
/// (run|bridge --tc FILE), the control socket (/run/forwarder/NAME.sock), and the estimators' clock (samples are
/// taken at the datapath's safe points when due).
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    private readonly DatapathEngine _datapath;
    private readonly CancellationTokenSource _stop = new();
    private ControlServer? _server;
    private Task? _ticker;

    private ControlPlane(DatapathEngine datapath, IClock clock)
    {
        _datapath = datapath;
        Clock = clock;
        // The ports are up NICs: pfifo_fast comes back when their root is deleted (dev_activate()).
        foreach (NetDevice dev in datapath.Devices.All)
        {
            dev.IsUp = true;
            dev.DefaultQdiscKind = "pfifo_fast";
        }
        Engine = new TcEngine(new SchedApi(datapath.Devices, clock));
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
            plane._server = new ControlServer(ControlSocket.PathFor(name), plane.Engine, new DatapathExecutor(datapath));
            try
            {
                plane._server.Start();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                throw new ControlException($"cannot create the control socket {ControlSocket.PathFor(name)}: {ex.Message}", ex);
            }
            plane._ticker = Task.Run(plane.TickEstimators);
            return plane;
        }
        catch
        {
            await plane.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Samples due estimators on the datapath thread; wakes it only when one is due.</summary>
    private async Task TickEstimators()
    {
        SchedApi kernel = Engine.Kernel;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(50, _stop.Token).ConfigureAwait(false);
                if (Clock.Now >= kernel.NextEstimatorSample)
                    await _datapath.InvokeAsync(() => kernel.TickEstimators(Clock.Now)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_ticker is not null) await _ticker.ConfigureAwait(false);
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
