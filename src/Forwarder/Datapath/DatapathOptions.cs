namespace Forwarder.Datapath;

/// <summary>How the datapath runs.</summary>
public sealed record DatapathOptions
{
    /// <summary>Packets per receive or transmit burst.</summary>
    public int BurstSize { get; init; } = 64;

    /// <summary>How long an idle thread keeps polling the ports before it parks in poll(2).</summary>
    public TimeSpan SpinBeforePark { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>The longest park: link status and pending control work are looked at least this often.</summary>
    public TimeSpan MaxPark { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest park when a port has no descriptor to wait on (in-memory and file ports).</summary>
    public TimeSpan MaxParkWithoutDescriptors { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Packets that redirects to an ingress may hold back for processing after the current burst (netdev_max_backlog).</summary>
    public int IngressBacklogLimit { get; init; } = 1000;
}
