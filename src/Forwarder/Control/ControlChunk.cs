using System.Text.Json.Serialization;

namespace Forwarder.Control;

/// <summary>A run of text the command printed on stdout or stderr.</summary>
public sealed record ControlChunk(
    [property: JsonPropertyName("err")] bool IsError,
    [property: JsonPropertyName("text")] string Text);
