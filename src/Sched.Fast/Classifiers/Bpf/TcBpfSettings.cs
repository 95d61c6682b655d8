using Bpf.Native.Execution;
using Bpf.Native.Maps;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// Process-wide settings of tc's eBPF programs: the engine that runs them (the JIT unless a test or the user picks
/// the interpreter) and the directory of pinned maps. The pin root is /run/forwarder/bpf (so tc's PIN_GLOBAL_NS maps
/// are /run/forwarder/bpf/tc/globals/NAME), or $TC_BPF_MNT when set, the variable iproute2 reads for its bpffs
/// mount.
/// </summary>
public static class TcBpfSettings
{
    /// <summary>iproute2's BPF_ENV_MNT.</summary>
    public const string PinDirectoryVariable = "TC_BPF_MNT";

    public static EngineKind Engine { get; set; } = EngineKind.Jit;

    public static string PinDirectory { get; set; } =
        Environment.GetEnvironmentVariable(PinDirectoryVariable) is { Length: > 0 } dir ? dir : MapPinStore.DefaultDirectory;

    public static MapPinStore Pins => new(PinDirectory);
}
