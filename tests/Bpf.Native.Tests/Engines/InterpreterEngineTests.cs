using Bpf.Native.Execution;

namespace Bpf.Native.Tests.Engines;

public sealed class InterpreterEngineTests : EngineContractTests
{
    protected override EngineKind Engine => EngineKind.Interpreter;
}
