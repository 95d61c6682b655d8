using System.Runtime.CompilerServices;
using Sched.Fast.Actions;
using Sched.Fast.Devices;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Time;

namespace Sched.Fast.Classifiers;

/// <summary>
/// What filters and actions of one network namespace share (the kernel's <c>struct net</c> as net/sched sees it):
/// the devices, the action tables of every kind, per-kind shared state (u32's hash tables per qdisc), and the
/// clock the control path reads for action ages. The tc engine creates one per namespace it manages.
/// </summary>
public sealed class FilterNamespace
{
    private readonly Dictionary<(Type, object), object> _shared = [];

    public FilterNamespace(DeviceTable devices, IClock? clock = null)
    {
        Devices = devices;
        Clock = clock ?? SystemClock.Instance;
    }

    private static readonly ConditionalWeakTable<SchedApi, FilterNamespace> s_byKernel = new();

    /// <summary>
    /// The namespace of a tc engine's kernel model: one per <see cref="SchedApi"/>, created on first use, resolving
    /// filter blocks through it (its qdiscs, ingress/clsact hooks and shared blocks).
    /// </summary>
    public static FilterNamespace For(SchedApi kernel) => s_byKernel.GetValue(kernel, k => new FilterNamespace(k.Devices, k.Clock)
    {
        BlockResolver = k.FindFilterBlock,
        SharedBlockResolver = k.FindSharedBlock,
    });

    public DeviceTable Devices { get; }

    /// <summary>
    /// cls_api.c's __tcf_qdisc_find + __tcf_qdisc_cl_find + __tcf_block_find as the kernel model implements them;
    /// null: <see cref="BlockLookup"/>'s own walk of the device's qdiscs.
    /// </summary>
    public Func<NetDevice, uint, FilterBlockTarget>? BlockResolver { get; init; }

    /// <summary>tcf_block_lookup(): a shared block by index ("tc filter ... block N"); null: none exist.</summary>
    public Func<uint, FilterBlock?>? SharedBlockResolver { get; init; }

    public ActionTables Actions { get; } = new();

    /// <summary>Read on the control path only (dumps, creation times).</summary>
    public IClock Clock { get; }

    /// <summary>Seed for the pseudo-random generators of actions (gact netrand); fixed for reproducible tests.</summary>
    public ulong RandomSeed { get; set; } = 0x9E37_79B9_7F4A_7C15;

    /// <summary>
    /// Kind-private state shared by all classifiers of one key (u32's tc_u_common per qdisc): the existing value,
    /// or a new one from <paramref name="create"/>.
    /// </summary>
    public T Shared<T>(object key, Func<T> create) where T : class
    {
        if (_shared.TryGetValue((typeof(T), key), out object? v)) return (T)v;
        T created = create();
        _shared.Add((typeof(T), key), created);
        return created;
    }

    /// <summary>Forgets the shared state of <paramref name="key"/> (its last user went away).</summary>
    public void RemoveShared<T>(object key) where T : class => _shared.Remove((typeof(T), key));
}
