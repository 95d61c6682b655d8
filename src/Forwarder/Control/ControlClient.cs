using System.Net.Sockets;
using Sched.Fast.Tc.Commands;

namespace Forwarder.Control;

/// <summary>"forwarder tc" against a running instance: sends the command (and the batch files it names) and
/// replays what the instance's tc printed.</summary>
public static class ControlClient
{
    public static TcRunResult Run(string socketPath, IReadOnlyList<string> argv, TextReader stdin) =>
        RunAsync(socketPath, argv, stdin).GetAwaiter().GetResult();

    public static async Task<TcRunResult> RunAsync(string socketPath, IReadOnlyList<string> argv, TextReader stdin,
        CancellationToken ct = default)
    {
        // The client reads the files: it has the user's working directory and permissions.
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        string? stdinText = null;
        foreach (string name in TcEngine.BatchFileArguments(argv))
        {
            if (name == "-") stdinText ??= await stdin.ReadToEndAsync(ct).ConfigureAwait(false);
            else
            {
                try
                {
                    files[name] = await File.ReadAllTextAsync(name, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Not sent: the instance's tc reports it cannot open the file, as tc would.
                }
            }
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new ControlException(ex.SocketErrorCode switch
            {
                SocketError.AccessDenied => $"permission denied connecting to {socketPath}",
                SocketError.ConnectionRefused => $"no forwarder is listening on {socketPath}",
                SocketError.AddressNotAvailable or SocketError.HostNotFound =>
                    $"no forwarder instance at {socketPath}",
                _ => $"cannot connect to {socketPath}: {ex.Message}",
            }, ex);
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        ControlResponse response;
        try
        {
            try
            {
                await ControlProtocol.WriteAsync(stream, new ControlRequest([.. argv], files, stdinText), ct).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // A refused peer is answered before its request is read, and the instance may already have
                // closed: what it said is still there to read.
            }
            response = await ControlProtocol.ReadAsync<ControlResponse>(stream, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or SocketException)
        {
            throw new ControlException($"the instance at {socketPath} closed the connection", ex);
        }
        if (response.Error is not null) throw new ControlException(response.Error);

        var output = new TcOutput();
        foreach (ControlChunk chunk in response.Chunks)
        {
            if (chunk.IsError) output.Err(chunk.Text);
            else output.Out(chunk.Text);
        }
        return new TcRunResult(response.ExitCode, output);
    }
}
