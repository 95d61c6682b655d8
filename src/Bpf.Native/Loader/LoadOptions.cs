using Bpf.Native.Execution;
using Bpf.Native.Helpers;

namespace Bpf.Native.Loader;

/// <summary>How to load a program: which engine runs it and which helpers it may call.</summary>
public sealed record LoadOptions
{
    public EngineKind Engine { get; init; } = EngineKind.Jit;

    public HelperTable Helpers { get; init; } = HelperTable.Empty;
}
