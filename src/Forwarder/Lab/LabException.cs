namespace Forwarder.Lab;

/// <summary>A lab step failed; the message names the command and what it printed.</summary>
public sealed class LabException(string message) : Exception(message);
