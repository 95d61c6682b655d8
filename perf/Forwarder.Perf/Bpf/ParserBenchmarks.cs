using System.Diagnostics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Bpf.Native.Execution;
using Bpf.Native.Programs;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Packets;

namespace Forwarder.Perf.Bpf;

/// <summary>
/// The 60-line C parser (tests/Sched.Fast.Tests/Classifiers/Bpf/Fixtures/parser.c: Ethernet, two VLAN tags,
/// IPv4 with options or IPv6, TCP/UDP ports, direct packet access), built with clang and loaded as tc loads it,
/// run as cls_bpf runs it (<see cref="PacketBpfHost.Run"/>: context set up on the packet's metadata, the program,
/// the return) on a 54-byte IPv4/TCP frame. Compare with the kernel on the same object and frame:
/// <c>bpftool prog load parser.o /sys/fs/bpf/p type classifier; bpftool prog run pinned /sys/fs/bpf/p data_in
/// tcp.bin repeat 10000000</c> (docs/notes/bpf-tc.md has the figures).
/// Run: dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*ParserBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private LoadedProgram _jit = null!;
    private LoadedProgram _interpreter = null!;
    private PacketPool _pool = null!;
    private Packet _packet = null!;
    private PacketBpfHost _host = null!;

    [GlobalSetup]
    public void Setup()
    {
        string directory = Path.Combine(Path.GetTempPath(), "bpf-parser-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string source = Fixtures();
        Shell($"clang -O2 -g -target bpf -I/usr/include/$(gcc -print-multiarch) -I'{source}' -c '{source}/parser.c' -o parser.o", directory);
        byte[] obj = File.ReadAllBytes(Path.Combine(directory, "parser.o"));
        Directory.Delete(directory, recursive: true);
        _jit = Load(obj, EngineKind.Jit);
        _interpreter = Load(obj, EngineKind.Interpreter);
        _pool = new PacketPool(4);
        _packet = _pool.Rent()!;
        _packet.Load(Frame());
        _packet.Protocol = 0x0800;
        _host = PacketBpfHost.Current;
        if (Jit() != (6 << 16 | 80) || Interpreter() != Jit())
        {
            throw new InvalidOperationException($"parser returned {Jit():x} (JIT), {Interpreter():x} (interpreter)");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _packet.Free();
        _pool.Dispose();
    }

    [Benchmark(Baseline = true)]
    public ulong Jit() => _host.Run(_jit.Program, _packet, null);

    [Benchmark]
    public ulong Interpreter() => _host.Run(_interpreter.Program, _packet, null);

    private static LoadedProgram Load(byte[] obj, EngineKind engine) =>
        TcProgramLoader.LoadObject(obj, "classifier", new TcLoadOptions { Context = PacketContextLayout.Instance, Engine = engine });

    /// <summary>A 54-byte IPv4/TCP frame to port 80 (the frame given to bpftool).</summary>
    public static byte[] Frame()
    {
        var f = new byte[54];
        f[12] = 0x08;
        f[14] = 0x45;
        f[17] = 40;
        f[22] = 64;
        f[23] = 6;
        f[34] = 0x04;
        f[35] = 0xd2;
        f[37] = 80;
        return f;
    }

    private static string Fixtures([CallerFilePath] string file = "") => Path.GetFullPath(
        Path.Combine(Path.GetDirectoryName(file)!, "..", "..", "..", "tests", "Sched.Fast.Tests", "Classifiers", "Bpf", "Fixtures"));

    private static void Shell(string command, string directory)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command]) { WorkingDirectory = directory, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command}: {error}");
    }
}
