using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Forwarder.Tests.Bpf;

/// <summary>
/// The tc fixtures (C sources in tests/Sched.Fast.Tests/Classifiers/Bpf/Fixtures) and the mission's seed classifier
/// (built with its exact command), compiled with clang once per run into a temporary directory.
/// </summary>
internal static class BpfFixtureObjects
{
    private static readonly Lazy<string> s_directory = new(Build);

    public static string Directory => s_directory.Value;

    public static string Path(string name) => System.IO.Path.Combine(Directory, name);

    private static string Tests([CallerFilePath] string file = "") =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, "..", ".."));

    private static string Build()
    {
        string sources = System.IO.Path.Combine(Tests(), "Sched.Fast.Tests", "Classifiers", "Bpf", "Fixtures");
        string seed = System.IO.Path.Combine(Tests(), "Bpf.Native.Tests", "Fixtures", "seed");
        string directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bpf-tc-cli-" + Guid.NewGuid().ToString("N"));
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
        foreach (string c in System.IO.Directory.GetFiles(sources, "*.c"))
        {
            string name = System.IO.Path.GetFileNameWithoutExtension(c);
            Shell($"clang -O2 -g -target bpf -I/usr/include/$(gcc -print-multiarch) -I'{sources}' -c '{c}' -o {name}.o", directory);
        }
        foreach (string f in System.IO.Directory.GetFiles(seed)) File.Copy(f, System.IO.Path.Combine(directory, System.IO.Path.GetFileName(f)));
        Shell("clang -O2 -emit-llvm -I/usr/include/$(gcc -print-multiarch) -c cls.c -o - | llc -march=bpf -filetype=obj -o cls.o", directory);
        return directory;
    }

    /// <summary>Runs a shell command; its standard output, or an exception with both outputs when it fails.</summary>
    public static string Shell(string command, string directory, bool check = true)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /bin/sh");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed with exit code {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        }
        return stdout + (check ? "" : stderr.Result);
    }
}
