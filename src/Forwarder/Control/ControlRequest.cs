using System.Text.Json.Serialization;

namespace Forwarder.Control;

/// <summary>A tc command sent over the control socket: tc's words, the batch files it names, and stdin for "-b -".</summary>
public sealed record ControlRequest(
    [property: JsonPropertyName("argv")] string[] Argv,
    [property: JsonPropertyName("files")] Dictionary<string, string>? Files,
    [property: JsonPropertyName("stdin")] string? Stdin);
