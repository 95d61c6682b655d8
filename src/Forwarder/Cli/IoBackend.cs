namespace Forwarder.Cli;

/// <summary>How ports reach the interfaces.</summary>
public enum IoBackend
{
    /// <summary>AF_PACKET rings (the fast Linux path).</summary>
    Mmap,
    /// <summary>libpcap through SharpPcap (portable).</summary>
    Pcap,
}
