using System.Buffers.Binary;
using System.Text.Json;

namespace Forwarder.Control;

/// <summary>
/// The wire format of the control socket: each message is a 4-byte little-endian length followed by that many
/// bytes of UTF-8 JSON. One request, one response, then the connection closes.
/// </summary>
public static class ControlProtocol
{
    /// <summary>Requests larger than this are refused (a batch file of several MB is already absurd).</summary>
    public const int MaxMessageBytes = 64 << 20;

    public static async Task WriteAsync<T>(Stream stream, T message, CancellationToken ct = default)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(message);
        byte[] header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        await stream.WriteAsync(header, ct).ConfigureAwait(false);
        await stream.WriteAsync(body, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    public static async Task<T> ReadAsync<T>(Stream stream, CancellationToken ct = default)
    {
        byte[] header = new byte[4];
        await stream.ReadExactlyAsync(header, ct).ConfigureAwait(false);
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 0 || length > MaxMessageBytes) throw new ControlException($"message of {length} bytes refused");
        byte[] body = new byte[length];
        await stream.ReadExactlyAsync(body, ct).ConfigureAwait(false);
        return JsonSerializer.Deserialize<T>(body) ?? throw new ControlException("empty message");
    }
}
