using Sched.Fast.Devices;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Tc.Output;
using Sched.Fast.Time;

namespace Sched.Fast.Tc.Commands;

/// <summary>
/// What an object's command sees of a tc run: the kernel model it talks to (<see cref="Kernel"/>), the global
/// flags, stdout and stderr, the device names, and the run's "static variables": iproute2 keeps show filters in
/// file-scope statics that survive from one batch line to the next, and so must we (<see cref="Statics{T}"/>).
/// </summary>
public sealed class TcCommandContext
{
    private readonly TcEngine _engine;
    private readonly Dictionary<Type, object> _statics;

    internal TcCommandContext(TcEngine engine, TcOutput output, TcPrintOptions options, bool batchMode,
        Dictionary<Type, object> statics)
    {
        _engine = engine;
        Output = output;
        Options = options;
        BatchMode = batchMode;
        _statics = statics;
    }

    /// <summary>The rtnetlink side: qdisc/class requests, dumps, block lookup.</summary>
    public SchedApi Kernel => _engine.Kernel;

    public DeviceTable Devices => _engine.Kernel.Devices;

    public IClock Clock => _engine.Kernel.Clock;

    public TcPrintOptions Options { get; }

    /// <summary>tc -batch: some commands behave differently in batch mode (as tc's batch_mode).</summary>
    public bool BatchMode { get; }

    public TcOutput Output { get; }

    /// <summary>Prints on stdout.</summary>
    public void Out(string text) => Output.Out(text);

    /// <summary>Prints on stderr.</summary>
    public void Err(string text) => Output.Err(text);

    /// <summary>A writer in the output mode of this run (plain, -j, -p), with its flags.</summary>
    public TcWriter NewWriter() => new(Options);

    /// <summary>A plain-text writer whatever -j says (objects whose show code ignores JSON, like tc class show).</summary>
    public TcWriter NewPlainWriter() => new(false, false, Options);

    /// <summary>
    /// ll_name_to_index(): the device called <paramref name="name"/>, or null. An offline engine creates the
    /// device on first mention instead.
    /// </summary>
    public NetDevice? FindDevice(string name) => _engine.ResolveDevice(name);

    /// <summary>ll_index_to_name().</summary>
    public string DeviceName(int ifIndex) => Devices.Find(ifIndex)?.Name ?? $"if{ifIndex}";

    /// <summary>lib/utils.c nodev(): "Cannot find device" and -1 (callers return its negation, 1).</summary>
    public int NoDevice(string name)
    {
        Err($"Cannot find device \"{name}\"\n");
        return -1;
    }

    /// <summary>
    /// The ifindex a modify request carries for a "dev" word: 0 when none was given; false, after nodev()'s message,
    /// when there is no such device (the command then returns 1).
    /// </summary>
    public bool TryFindIfIndex(string deviceName, out int ifIndex)
    {
        ifIndex = 0;
        if (deviceName.Length == 0) return true;
        NetDevice? device = FindDevice(deviceName);
        if (device is null)
        {
            NoDevice(deviceName);
            return false;
        }
        ifIndex = device.IfIndex;
        return true;
    }

    /// <summary>The context a kind's option parser gets for device <paramref name="deviceName"/> (may be empty).</summary>
    public TcParseContext ParseContext(string deviceName)
    {
        NetDevice? dev = deviceName.Length > 0 ? Devices.Find(deviceName) : null;
        return new TcParseContext(dev)
        {
            UnresolvedDeviceName = dev is null ? deviceName : null,
            Options = Options,
            Stderr = Err,
        };
    }

    /// <summary>
    /// The run's instance of <typeparamref name="T"/>: an object's file-scope static variables, shared by every
    /// line of a batch and fresh for each tc invocation.
    /// </summary>
    public T Statics<T>() where T : class, new()
    {
        if (!_statics.TryGetValue(typeof(T), out object? s))
        {
            s = new T();
            _statics[typeof(T)] = s;
        }
        return (T)s;
    }
}
