using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Bpf.Native.Elf;
using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Maps;
using Bpf.Native.Programs;
using Bpf.Native.Verifier;

namespace Forwarder.Perf.Bpf;

/// <summary>
/// Verification time of the verifier's C fixtures (tests/Bpf.Native.Tests/Fixtures/verifier/cases, built with
/// clang as the tests build them): the 60-line Ethernet/VLAN/IPv4/IPv6/TCP/UDP parser, the counter map per protocol,
/// the NAT checksum rewrite and the bounded TCP-options loop (2,206 instructions walked). Run:
/// dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*VerifierBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class VerifierBenchmarks
{
    private Instruction[] _code = [];
    private MapCollection? _maps;
    private VerifierOptions _options = new();

    [Params("accept_parser", "accept_proto_counter", "accept_nat_rewrite", "accept_bounded_loop")]
    public string Case { get; set; } = "accept_parser";

    [GlobalSetup]
    public void Setup()
    {
        string cases = Path.Combine(RepositoryRoot(), "tests", "Bpf.Native.Tests", "Fixtures", "verifier", "cases");
        string work = Path.Combine(Path.GetTempPath(), "verifier-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            string obj = Path.Combine(work, Case + ".o");
            var clang = Process.Start(new ProcessStartInfo("/bin/sh",
                ["-c", $"clang -O2 -g -target bpf -I/usr/include/$(gcc -print-multiarch) -c '{Path.Combine(cases, Case + ".c")}' -o '{obj}'"]))!;
            clang.WaitForExit();
            var spec = ObjectSpec.Load(obj);
            var program = spec.FindDefaultTcProgram()!;
            _maps = MapCollection.Create(spec);
            _code = Decoder.Decode(MapRelocator.ApplyToBytes(program, _maps.Maps, keepPseudoSource: true));
            _options = new VerifierOptions { ProgramType = ProgramType.SchedCls, Helpers = Prototypes(), Maps = [.. _maps.Maps.Values] };
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _maps?.Dispose();

    [Benchmark]
    public VerifiedProgram Verify() => ProgramVerifier.Verify(_code, _options);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Forwarder.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"Forwarder.sln not found above {AppContext.BaseDirectory}.");
    }

    private static unsafe ulong Nothing(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;

    /// <summary>The kernel's prototypes of the helpers the fixtures call (the verifier reads only prototypes).</summary>
    private static HelperTable Prototypes()
    {
        var method = typeof(VerifierBenchmarks).GetMethod(nameof(Nothing), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var table = new HelperTable();
        const HelperArgumentKind Ctx = HelperArgumentKind.PointerToContext;
        const HelperArgumentKind Any = HelperArgumentKind.Anything;
        const HelperArgumentKind Map = HelperArgumentKind.ConstMapPointer;
        void Add(int id, HelperReturnKind returns, params HelperArgumentKind[] arguments) =>
            table.Register(id, "helper" + id, new HelperPrototype(returns, arguments), method);
        Add(1, HelperReturnKind.PointerToMapValueOrNull, Map, HelperArgumentKind.PointerToMapKey);
        Add(2, HelperReturnKind.Integer, Map, HelperArgumentKind.PointerToMapKey, HelperArgumentKind.PointerToMapValue, Any);
        Add(9, HelperReturnKind.Integer, Ctx, Any, HelperArgumentKind.PointerToReadableMemory, HelperArgumentKind.ConstSize, Any);
        Add(10, HelperReturnKind.Integer, Ctx, Any, Any, Any, Any);
        Add(11, HelperReturnKind.Integer, Ctx, Any, Any, Any, Any);
        Add(26, HelperReturnKind.Integer, Ctx, Any, HelperArgumentKind.PointerToWritableMemory, HelperArgumentKind.ConstSize);
        return table;
    }
}
