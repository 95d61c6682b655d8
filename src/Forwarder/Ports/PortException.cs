namespace Forwarder.Ports;

/// <summary>A port could not be opened or used; the message says what to do about it.</summary>
public sealed class PortException(string message) : Exception(message);
