using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Bpf.Native.Execution;
using Bpf.Native.Loader;
using Bpf.Native.Semantics;

namespace Forwarder.Perf.Bpf;

/// <summary>
/// One run of a loaded program, JIT against interpreter, on native buffers prepared once (as the datapath will):
/// ns/run and B/op. Run: dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*BpfRunBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public unsafe class BpfRunBenchmarks
{
    private BpfProgram _jit = null!;
    private BpfProgram _interpreter = null!;
    private BpfRunContext* _run;
    private byte* _packet;
    private byte* _stack;

    [Params(BpfBenchmarkPrograms.Toy, BpfBenchmarkPrograms.Loop)]
    public string Program { get; set; } = BpfBenchmarkPrograms.Toy;

    [GlobalSetup]
    public void Setup()
    {
        byte[] bytecode = BpfBenchmarkPrograms.Bytecode(Program);
        _jit = ProgramLoader.Load(bytecode, new LoadOptions { Engine = EngineKind.Jit });
        _interpreter = ProgramLoader.Load(bytecode, new LoadOptions { Engine = EngineKind.Interpreter });

        byte[] frame = BpfBenchmarkPrograms.Ipv4Frame();
        _packet = (byte*)NativeMemory.AlignedAlloc(128, 64);
        new Span<byte>(_packet, 128).Clear();
        frame.CopyTo(new Span<byte>(_packet, frame.Length));
        _stack = (byte*)NativeMemory.AlignedAlloc(CallConvention.MaxStackBytes, 64);
        _run = (BpfRunContext*)NativeMemory.AllocZeroed((nuint)sizeof(BpfRunContext));
        _run->Context = _packet;
        _run->ContextLength = (ulong)frame.Length;
        _run->PacketData = _packet;
        _run->PacketLength = (uint)frame.Length;
        _run->StackTop = _stack + CallConvention.MaxStackBytes;

        ulong jit = _jit.Run(_run);
        ulong interpreted = _interpreter.Run(_run);
        if (jit != interpreted || (Program == BpfBenchmarkPrograms.Toy && jit != 0x0800_0010))
        {
            throw new InvalidOperationException($"engines disagree: jit {jit:x}, interpreter {interpreted:x}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_packet);
        NativeMemory.AlignedFree(_stack);
        NativeMemory.Free(_run);
    }

    [Benchmark]
    public ulong Jit() => _jit.Run(_run);

    [Benchmark(Baseline = true)]
    public ulong Interpreter() => _interpreter.Run(_run);
}
