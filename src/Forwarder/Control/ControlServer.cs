using System.Net.Sockets;
using Sched.Fast.Tc.Commands;

namespace Forwarder.Control;

/// <summary>
/// The control socket of a running instance: a Unix stream socket at /run/forwarder/NAME.sock, mode 0600 and
/// owned by the user that started the instance, which also checks each peer's credentials (SO_PEERCRED) and
/// refuses any other user. Each connection carries one tc command, run through the instance's
/// <see cref="TcEngine"/> on the datapath's safe point (<see cref="IControlExecutor"/>).
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    private readonly TcEngine _engine;
    private readonly IControlExecutor _executor;
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Task? _acceptLoop;

    public ControlServer(string path, TcEngine engine, IControlExecutor executor)
    {
        SocketPath = path;
        _engine = engine;
        _executor = executor;
    }

    public string SocketPath { get; }

    /// <summary>The user allowed to connect (the one running the instance).</summary>
    public uint AllowedUserId { get; init; } = PeerCredentials.CurrentUserId;

    /// <summary>Connections refused because of their credentials (for logs and tests).</summary>
    public int RefusedConnections => _refused;

    private int _refused;

    /// <summary>
    /// Creates the socket and starts accepting. The socket is bound under a temporary name, restricted to 0600,
    /// then renamed into place, so it is never reachable with wider permissions. Fails if another live instance
    /// owns the name; a stale socket file left by a crash is replaced.
    /// </summary>
    public void Start()
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the control socket needs Unix");
        string dir = Path.GetDirectoryName(SocketPath) ?? ".";
        Directory.CreateDirectory(dir);
        if (File.Exists(SocketPath))
        {
            if (IsAlive(SocketPath)) throw new ControlException($"an instance is already listening on {SocketPath}");
            File.Delete(SocketPath);
        }
        string temp = Path.Combine(dir, $".{Path.GetFileName(SocketPath)}.{Environment.ProcessId}.tmp");
        if (File.Exists(temp)) File.Delete(temp);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(temp));
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, SocketPath, overwrite: true);
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            if (File.Exists(temp)) File.Delete(temp);
            throw;
        }
        _listener = listener;
        _acceptLoop = Task.Run(AcceptLoop);
    }

    private static bool IsAlive(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task AcceptLoop()
    {
        Socket listener = _listener!;
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(Socket client)
    {
        using (client)
        await using (var stream = new NetworkStream(client, ownsSocket: false))
        {
            try
            {
                PeerCredentials peer = PeerCredentials.Of(client);
                if (peer.UserId != AllowedUserId)
                {
                    Interlocked.Increment(ref _refused);
                    // Say why, then close; nothing of the request is read.
                    await ControlProtocol.WriteAsync(stream, new ControlResponse(1, [],
                        $"permission denied: uid {peer.UserId} may not control this instance"), _stop.Token).ConfigureAwait(false);
                    return;
                }
                ControlRequest request = await ControlProtocol.ReadAsync<ControlRequest>(stream, _stop.Token).ConfigureAwait(false);
                TcRunResult result = await _executor.InvokeAsync(() => Execute(request)).ConfigureAwait(false);
                ControlChunk[] chunks = [.. result.Output.Chunks.Select(c => new ControlChunk(c.IsError, c.Text))];
                await ControlProtocol.WriteAsync(stream, new ControlResponse(result.ExitCode, chunks), _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ControlException or
                                           OperationCanceledException or System.Text.Json.JsonException)
            {
                // A client that went away or spoke nonsense; the instance carries on.
            }
        }
    }

    private TcRunResult Execute(ControlRequest request)
    {
        Dictionary<string, string> files = request.Files ?? [];
        return _engine.Run(request.Argv,
            name => files.TryGetValue(name, out string? text) ? new StringReader(text) : throw new KeyNotFoundException(name),
            request.Stdin is null ? null : new StringReader(request.Stdin));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            try
            {
                await _acceptLoop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        try
        {
            if (File.Exists(SocketPath)) File.Delete(SocketPath);
        }
        catch (IOException)
        {
        }
        _stop.Dispose();
    }
}
