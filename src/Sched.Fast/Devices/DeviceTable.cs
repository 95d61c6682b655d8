namespace Sched.Fast.Devices;

/// <summary>
/// The devices tc can name (a network namespace's device list): lookup by name or ifindex, and the redirector
/// actions use to reach them. Changed only on the control path.
/// </summary>
public sealed class DeviceTable
{
    private readonly Dictionary<string, NetDevice> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<int, NetDevice> _byIndex = [];

    public IPacketRedirector? Redirector { get; set; }

    public IEnumerable<NetDevice> All => _byIndex.Values.OrderBy(d => d.IfIndex);

    public NetDevice? Find(string name) => _byName.GetValueOrDefault(name);

    public NetDevice? Find(int ifIndex) => _byIndex.GetValueOrDefault(ifIndex);

    public void Add(NetDevice device)
    {
        if (_byName.ContainsKey(device.Name)) throw new InvalidOperationException($"device {device.Name} exists");
        if (_byIndex.ContainsKey(device.IfIndex)) throw new InvalidOperationException($"ifindex {device.IfIndex} in use");
        _byName.Add(device.Name, device);
        _byIndex.Add(device.IfIndex, device);
    }

    public bool Remove(NetDevice device) => _byName.Remove(device.Name) | _byIndex.Remove(device.IfIndex);

    /// <summary>The next free ifindex (loopback is 1, as in Linux).</summary>
    public int NextIfIndex() => _byIndex.Count == 0 ? 2 : Math.Max(2, _byIndex.Keys.Max() + 1);
}
