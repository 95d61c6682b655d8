using Bpf.Native.Execution;

namespace Bpf.Native.Tests.Engines;

public sealed class JitEngineTests : EngineContractTests
{
    protected override EngineKind Engine => EngineKind.Jit;
}
