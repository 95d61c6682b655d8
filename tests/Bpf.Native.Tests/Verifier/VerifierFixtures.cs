using System.Security.Cryptography;
using System.Text;
using Bpf.Native.Elf;
using Bpf.Native.Isa;
using Bpf.Native.Maps;
using Bpf.Native.Programs;
using Bpf.Native.Tests.Elf;
using Bpf.Native.Tests.Support;
using Bpf.Native.Verifier;

namespace Bpf.Native.Tests.Verifier;

/// <summary>
/// The verifier cases (Fixtures/verifier/cases/*.c and *.s), built with clang at test setup exactly as
/// kernel-verdicts.sh builds them for the kernel, and loaded the way the tc loader loads an object: parse, create
/// the maps, resolve map references (keeping BPF_PSEUDO_MAP_FD / _VALUE so the verifier types them), decode.
/// A case built a second way (the *_v3.c cases) is a wrapper that #includes its base case: clang resolves a quoted
/// include in the including file's folder, so there is one source per program.
/// </summary>
internal static class VerifierFixtures
{
    private static readonly Lazy<string> s_objects = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string SourceDirectory => Path.Combine(FixtureObjects.SourceDirectory, "verifier");

    public static IEnumerable<string> CaseNames => Directory.GetFiles(Path.Combine(SourceDirectory, "cases"))
        .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".s", StringComparison.Ordinal))
        .Select(f => Path.GetFileNameWithoutExtension(f))
        .Order(StringComparer.Ordinal);

    public static string ObjectPath(string name) => Path.Combine(s_objects.Value, name + ".o");

    /// <summary>The kernel's verdicts (kernel-verdicts.txt): name -> null for accept, else the first reason line.</summary>
    public static IReadOnlyDictionary<string, string?> KernelVerdicts { get; } = ReadKernelVerdicts();

    private static Dictionary<string, string?> ReadKernelVerdicts()
    {
        var verdicts = new Dictionary<string, string?>();
        foreach (string line in File.ReadLines(Path.Combine(SourceDirectory, "kernel-verdicts.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }
            string[] parts = line.Split(' ', 3);
            verdicts[parts[0]] = parts[1] == "accept" ? null : parts.Length > 2 ? parts[2] : "";
        }
        return verdicts;
    }

    /// <summary>The expectation written at the top of a case: null for accept, else the reason's first line.</summary>
    public static string? Expectation(string name)
    {
        string source = Directory.GetFiles(Path.Combine(SourceDirectory, "cases"), name + ".*")[0];
        string first = File.ReadLines(source).First();
        const string reject = "EXPECT: reject: ";
        int at = first.IndexOf(reject, StringComparison.Ordinal);
        return at >= 0 ? first[(at + reject.Length)..] : null;
    }

    /// <summary>A case's program, ready for the verifier, with the maps it refers to (dispose them after).</summary>
    public static (Instruction[] Code, MapCollection Maps, ObjectSpec Spec) Load(string name)
    {
        var spec = ObjectSpec.Load(ObjectPath(name));
        var program = spec.FindDefaultTcProgram() ?? spec.Programs[0];
        var maps = MapCollection.Create(spec);
        byte[] bytes = MapRelocator.ApplyToBytes(program, maps.Maps, keepPseudoSource: true);
        return (Bpf.Native.Isa.Decoder.Decode(bytes), maps, spec);
    }

    public static VerifiedProgram Verify(string name, int logLevel = 0)
    {
        var (code, maps, spec) = Load(name);
        using (maps)
        {
            return ProgramVerifier.Verify(code, new VerifierOptions
            {
                ProgramType = ProgramType.SchedCls,
                Helpers = TcTestHelpers.Table,
                Maps = [.. maps.Maps.Values],
                GplCompatible = ObjectLicense.IsGplCompatible(spec.License),
                LogLevel = logLevel,
            });
        }
    }

    /// <summary>A case's "// CFLAGS: -mcpu=v3 ..." line: the first word is a clang option.</summary>
    private static string ExtraFlags(string source)
    {
        const string prefix = "// CFLAGS: ";
        string? line = File.ReadLines(source).Take(3).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? "" : line[prefix.Length..].Split(' ')[0];
    }

    private static string Build()
    {
        var hash = new StringBuilder();
        foreach (string file in Directory.GetFiles(SourceDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.Append(Path.GetFileName(file)).Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
        }
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString())))[..16];
        string output = Path.Combine(Path.GetTempPath(), "forwarder-verifier-fixtures", key);
        if (File.Exists(Path.Combine(output, ".complete")))
        {
            return output;
        }
        string staging = output + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp";
        Directory.CreateDirectory(staging);
        string cases = Path.Combine(SourceDirectory, "cases");
        foreach (string name in CaseNames)
        {
            string c = Path.Combine(cases, name + ".c");
            string target = Path.Combine(staging, name + ".o");
            NativeTool.Shell(File.Exists(c)
                ? $"clang -O2 -g -target bpf {ExtraFlags(c)} -I/usr/include/$(gcc -print-multiarch) -c '{c}' -o '{target}'"
                : $"clang -target bpf -c '{Path.Combine(cases, name + ".s")}' -o '{target}'", staging);
        }
        File.WriteAllText(Path.Combine(staging, ".complete"), "");
        try
        {
            Directory.Move(staging, output);
        }
        catch (IOException)
        {
            // Another test process built it first.
            Directory.Delete(staging, recursive: true);
        }
        return output;
    }
}
