using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Bpf.Native.Tests.Elf;

/// <summary>
/// Builds the C fixtures in tests/Bpf.Native.Tests/Fixtures with clang (-O2 -g -target bpf) the first time a test
/// asks for one, into a cache directory keyed by the sources' hash. clang is a test prerequisite (the project's
/// setup script installs it): a missing clang fails the tests with a message rather than skipping them.
/// </summary>
internal static class FixtureObjects
{
    private static readonly Lazy<string> s_outputDirectory = new(BuildAll, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string SourceDirectory { get; } = FindSourceDirectory();

    public static string PathOf(string name) => Path.Combine(s_outputDirectory.Value, name + ".o");

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    private static string FindSourceDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Bpf.Native.Tests", "Fixtures");
            if (File.Exists(Path.Combine(candidate, "bpf_fixture.h")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("cannot find tests/Bpf.Native.Tests/Fixtures above " + AppContext.BaseDirectory);
    }

    private static string BuildAll()
    {
        string[] sources = Directory.GetFiles(SourceDirectory, "*.c").Order(StringComparer.Ordinal).ToArray();
        var hash = new StringBuilder();
        foreach (string file in Directory.GetFiles(SourceDirectory).Order(StringComparer.Ordinal))
        {
            hash.Append(Path.GetFileName(file)).Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
        }
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString())))[..16];
        string output = Path.Combine(Path.GetTempPath(), "forwarder-bpf-fixtures", key);
        if (File.Exists(Path.Combine(output, ".complete")))
        {
            return output;
        }
        string staging = output + "." + Environment.ProcessId + ".tmp";
        Directory.CreateDirectory(staging);
        foreach (string source in sources)
        {
            string target = Path.Combine(staging, Path.GetFileNameWithoutExtension(source) + ".o");
            Run("clang", $"-O2 -g -target bpf -c \"{source}\" -o \"{target}\"");
        }
        File.WriteAllText(Path.Combine(staging, ".complete"), "");
        try
        {
            Directory.Move(staging, output);
        }
        catch (IOException) when (File.Exists(Path.Combine(output, ".complete")))
        {
            Directory.Delete(staging, recursive: true); // another test process built it first
        }
        return output;
    }

    private static void Run(string tool, string arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is needed to build the BPF test fixtures: {e.Message}", e);
        }
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {arguments} failed:\n{errors}");
        }
    }
}
