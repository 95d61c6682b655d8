namespace Forwarder.Control;

/// <summary>The control socket cannot be reached or answered badly (no instance, refused, protocol error).</summary>
public sealed class ControlException(string message, Exception? inner = null) : Exception(message, inner);
