using System.Diagnostics;
using System.Runtime.CompilerServices;
using Bpf.Native.Execution;
using Bpf.Native.Programs;
using Sched.Fast.Classifiers.Bpf;

namespace Sched.Fast.Tests.Classifiers.Bpf;

/// <summary>
/// The C fixtures beside this file (Fixtures/*.c), built with clang once per test run into a temporary directory,
/// and loaded as tc loads them (SCHED_CLS on the packet metadata) with the engine a test asks for.
/// </summary>
internal static class BpfFixtures
{
    private static readonly Lazy<string> s_directory = new(Build);

    public static string Directory => s_directory.Value;

    public static string Object(string name) => Path.Combine(Directory, name + ".o");

    public static LoadedProgram Load(string objectName, string section, EngineKind engine = EngineKind.Jit) =>
        TcProgramLoader.LoadObject(File.ReadAllBytes(Object(objectName)), section, new TcLoadOptions
        {
            Context = PacketContextLayout.Instance,
            Engine = engine,
        });

    public static TheoryData<EngineKind> Engines => new() { EngineKind.Interpreter, EngineKind.Jit };

    private static string SourceDirectory([CallerFilePath] string file = "") => Path.Combine(Path.GetDirectoryName(file)!, "Fixtures");

    private static string Build()
    {
        string source = SourceDirectory();
        string directory = Path.Combine(Path.GetTempPath(), "bpf-tc-fixtures-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary directory is harmless.
            }
        };
        foreach (string c in System.IO.Directory.GetFiles(source, "*.c"))
        {
            string output = Path.Combine(directory, Path.GetFileNameWithoutExtension(c) + ".o");
            Shell($"clang -O2 -g -target bpf -I/usr/include/$(gcc -print-multiarch) -I'{source}' -c '{c}' -o '{output}'", directory);
        }
        // The mission's seed classifier, built with its exact command.
        // (vendored by the engine's tests as tests/Bpf.Native.Tests/Fixtures/seed).
        string seed = Path.GetFullPath(Path.Combine(source, "..", "..", "..", "..", "Bpf.Native.Tests", "Fixtures", "seed"));
        foreach (string f in System.IO.Directory.GetFiles(seed)) File.Copy(f, Path.Combine(directory, Path.GetFileName(f)), overwrite: true);
        Shell("clang -O2 -emit-llvm -I/usr/include/$(gcc -print-multiarch) -c cls.c -o - | llc -march=bpf -filetype=obj -o cls.o", directory);
        return directory;
    }

    public static void Shell(string command, string directory)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /bin/sh");
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed with exit code {process.ExitCode}:\n{stdout}\n{stderr}");
        }
    }
}
