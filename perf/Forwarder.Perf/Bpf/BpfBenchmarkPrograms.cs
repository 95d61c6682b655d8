using System.Diagnostics;
using System.Text;
using Bpf.Native.Isa;

namespace Forwarder.Perf.Bpf;

/// <summary>
/// The programs the eBPF engine benchmarks run: the mission's toy classifier (built from
/// tests/Bpf.Native.Tests/Fixtures/seed with its exact command, loaded as the raw "classify" section) and a loop of
/// about 200 instructions of arithmetic and memory traffic.
/// </summary>
public static class BpfBenchmarkPrograms
{
    public const string Toy = "toy";
    public const string Loop = "loop";

    /// <summary>Loop iterations per run of the loop program.</summary>
    public const int LoopIterations = 10;

    public static byte[] Bytecode(string name) => name switch
    {
        Toy => SeedClassifier(),
        Loop => Assembler.AssembleToBytes(LoopAssembly()),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "toy or loop"),
    };

    /// <summary>An Ethernet + IPv4 + TCP frame, TOS 0x10: the toy classifier returns 0x08000010 for it.</summary>
    public static byte[] Ipv4Frame() => Convert.FromHexString(
        "00112233445566778899aabb0800" +
        "4510003c1c4640004006b1e6c0a80001c0a800c7" +
        "d3f90050000000000000000050022000917c0000");

    /// <summary>
    /// r6 = r1 (64 bytes of memory); ten iterations of a 190-instruction body mixing 64- and 32-bit arithmetic,
    /// multiplication, shifts, stack spills and reloads and memory loads and stores; 197 instructions in all.
    /// </summary>
    public static string LoopAssembly()
    {
        var text = new StringBuilder();
        text.AppendLine("mov %r6, %r1");
        text.AppendLine("mov %r0, 0");
        text.AppendLine("mov %r1, 1");
        text.AppendLine("mov %r2, 2");
        text.AppendLine("mov %r3, 3");
        text.AppendLine($"mov %r9, {LoopIterations}");
        text.AppendLine("loop:");
        for (int block = 0; block < 19; block++)
        {
            int stack = 8 * (1 + block % 8);
            int memory = 4 * (block % 14);
            text.AppendLine("add %r1, %r2");
            text.AppendLine("xor %r3, %r1");
            text.AppendLine($"lsh %r4, {1 + block % 5}");
            text.AppendLine($"stxdw [%r10-{stack}], %r3");
            text.AppendLine($"ldxdw %r5, [%r10-{stack}]");
            text.AppendLine($"mul %r2, {3 + 2 * block}");
            text.AppendLine("rsh32 %r3, 1");
            text.AppendLine($"stxw [%r6+{memory}], %r5");
            text.AppendLine($"ldxw %r7, [%r6+{memory}]");
            text.AppendLine("add %r0, %r7");
        }
        text.AppendLine("add %r9, -1");
        text.AppendLine("jne %r9, 0, loop");
        text.AppendLine("exit");
        return text.ToString();
    }

    private static byte[] SeedClassifier()
    {
        string seed = Path.Combine(RepositoryRoot(), "tests", "Bpf.Native.Tests", "Fixtures", "seed");
        string work = Path.Combine(Path.GetTempPath(), "bpf-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            foreach (string file in Directory.GetFiles(seed))
            {
                File.Copy(file, Path.Combine(work, Path.GetFileName(file)));
            }
            Shell("clang -O2 -emit-llvm -I/usr/include/$(gcc -print-multiarch) -c cls.c -o - | llc -march=bpf -filetype=obj -o cls.o", work);
            Shell("llvm-objcopy -O binary --only-section=classify cls.o cls.bin", work);
            return File.ReadAllBytes(Path.Combine(work, "cls.bin"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

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

    private static void Shell(string command, string directory)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed: {errors}");
        }
    }
}
