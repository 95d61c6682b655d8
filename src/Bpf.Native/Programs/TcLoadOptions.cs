using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Helpers.Tc;
using Bpf.Native.Maps;

namespace Bpf.Native.Programs;

/// <summary>How to load a tc program: the host's context layout, the engine, helpers and where pinned maps live.</summary>
public sealed record TcLoadOptions
{
    /// <summary>Where the host keeps each <c>__sk_buff</c> field (the rewrite's target).</summary>
    public required ContextLayout Context { get; init; }

    public EngineKind Engine { get; init; } = EngineKind.Jit;

    /// <summary>The helpers programs may call; by default the tc set (<see cref="TcHelpers.CreateTable"/>).</summary>
    public HelperTable? Helpers { get; init; }

    /// <summary>Pinned maps go here (tc's pinning); null: pinned maps are created unpinned.</summary>
    public MapPinStore? Pins { get; init; }

    /// <summary>
    /// Pin every map in <see cref="Pins"/>, those that do not ask for it by name (bpftool's "pinmaps"), so that
    /// consecutive loads and other processes share them.
    /// </summary>
    public bool PinEveryMap { get; init; }

    /// <summary>SCHED_CLS (filters) or SCHED_ACT (actions): the verifier's rules and the name bpftool shows.</summary>
    public ProgramType ProgramType { get; init; } = ProgramType.SchedCls;

    /// <summary>The verifier's log level for accepted programs (0 none, 1 the kernel's statistics line, 2 every path).</summary>
    public int VerifierLogLevel { get; init; }
}
