namespace Forwarder.Ports;

/// <summary>The link as a port sees it.</summary>
public enum PortStatus
{
    Up,
    /// <summary>Administratively down or no carrier: the port waits for it to come back.</summary>
    Down,
    /// <summary>The interface no longer exists: the port cannot recover.</summary>
    Removed,
}
