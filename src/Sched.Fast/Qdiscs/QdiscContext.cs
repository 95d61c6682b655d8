using Sched.Fast.Devices;

namespace Sched.Fast.Qdiscs;

/// <summary>
/// What a qdisc learns about its place when it is created: its device, handle and parent, and a way to create the
/// default children that kinds make for themselves (qdisc_create_dflt(): pfifo leaves of htb classes, tbf's bfifo).
/// </summary>
public sealed class QdiscContext
{
    public QdiscContext(NetDevice device, uint handle, uint parent, Func<string, uint, uint, Qdisc>? createDefault = null)
    {
        Device = device;
        Handle = handle;
        Parent = parent;
        _createDefault = createDefault;
    }

    private readonly Func<string, uint, uint, Qdisc>? _createDefault;

    public NetDevice Device { get; }
    public uint Handle { get; }
    public uint Parent { get; }

    /// <summary>
    /// qdisc_create_dflt(): a qdisc of <paramref name="kind"/> with default options, handle
    /// <paramref name="handle"/> (usually 0) attached under <paramref name="parent"/>.
    /// </summary>
    public Qdisc CreateDefault(string kind, uint handle, uint parent)
    {
        if (_createDefault is not null) return _createDefault(kind, handle, parent);
        QdiscKind k = QdiscKinds.Find(kind) ?? throw new InvalidOperationException($"no qdisc kind {kind}");
        return k.Create(null, For(handle, parent));
    }

    /// <summary>A context for another qdisc on the same device.</summary>
    public QdiscContext For(uint handle, uint parent) => new(Device, handle, parent, _createDefault);
}
