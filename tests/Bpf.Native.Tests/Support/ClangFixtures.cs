namespace Bpf.Native.Tests.Support;

/// <summary>
/// Objects built from the fixture sources with clang at test setup, once per test run, in a temporary directory.
/// The seed classifier is built with the mission's exact command and loaded as the raw instructions of its
/// "classify" section (ELF parsing belongs to the next layer).
/// </summary>
internal static class ClangFixtures
{
    private static readonly Lazy<string> s_directory = new(() =>
    {
        string directory = Path.Combine(Path.GetTempPath(), "bpf-engine-fixtures-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temporary directory is harmless.
            }
        };
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "seed")).Concat(
                     Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "disasm"))))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }
        NativeTool.Shell(
            "clang -O2 -emit-llvm -I/usr/include/$(gcc -print-multiarch) -c cls.c -o - | llc -march=bpf -filetype=obj -o cls.o",
            directory);
        NativeTool.Shell("clang -O2 -target bpf -mcpu=v3 -c mixed.c -o mixed.o", directory);
        NativeTool.Shell("clang -target bpf -mcpu=v3 -c all-v3.s -o all-v3.o", directory);
        return directory;
    });

    /// <summary>The seed classifier's "classify" section.</summary>
    public static byte[] SeedClassifier => Section("cls.o", "classify");

    public static byte[] Section(string objectName, string section) =>
        NativeTool.Section(Path.Combine(s_directory.Value, objectName), section);
}
