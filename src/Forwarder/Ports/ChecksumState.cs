namespace Forwarder.Ports;

/// <summary>What the interface said about a received frame's transport checksum.</summary>
public enum ChecksumState : byte
{
    /// <summary>Complete (or verified, or not our business).</summary>
    Complete,
    /// <summary>CHECKSUM_PARTIAL (TP_STATUS_CSUMNOTREADY): must be completed before the frame leaves.</summary>
    Partial,
    /// <summary>The interface cannot say (libpcap): detect a partial checksum from its value.</summary>
    Unknown,
}
