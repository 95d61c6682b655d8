using System.Text.Json.Serialization;

namespace Forwarder.Control;

/// <summary>What the command printed, stream by stream in order, and tc's exit status; or a refusal.</summary>
public sealed record ControlResponse(
    [property: JsonPropertyName("exit")] int ExitCode,
    [property: JsonPropertyName("chunks")] ControlChunk[] Chunks,
    [property: JsonPropertyName("error")] string? Error = null);
