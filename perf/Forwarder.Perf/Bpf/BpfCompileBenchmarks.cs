using BenchmarkDotNet.Attributes;
using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Loader;
using Bpf.Native.Verifier;

namespace Forwarder.Perf.Bpf;

/// <summary>
/// Load time: decode + verify, then JIT compile (IL emission and RyuJIT, which compiles on the first run, so the
/// first run is included) or interpreter preparation. Run:
/// dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*BpfCompileBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class BpfCompileBenchmarks
{
    private byte[] _bytecode = [];
    private byte[] _frame = [];
    private VerifiedProgram _verified = null!;

    [Params(BpfBenchmarkPrograms.Toy, BpfBenchmarkPrograms.Loop)]
    public string Program { get; set; } = BpfBenchmarkPrograms.Toy;

    [GlobalSetup]
    public void Setup()
    {
        _bytecode = BpfBenchmarkPrograms.Bytecode(Program);
        _frame = BpfBenchmarkPrograms.Ipv4Frame();
        _verified = ProgramLoader.Verify(_bytecode, HelperTable.Empty);
    }

    [Benchmark]
    public VerifiedProgram DecodeAndVerify() => ProgramLoader.Verify(_bytecode, HelperTable.Empty);

    [Benchmark]
    public ulong JitCompileAndFirstRun() => ProgramLoader.Load(_verified, EngineKind.Jit).Run(_frame);

    [Benchmark]
    public ulong InterpreterPrepareAndFirstRun() => ProgramLoader.Load(_verified, EngineKind.Interpreter).Run(_frame);
}
