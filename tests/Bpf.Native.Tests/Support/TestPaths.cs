namespace Bpf.Native.Tests.Support;

/// <summary>Where the vendored suite and fixtures are: copied next to the test binaries by the project file.</summary>
internal static class TestPaths
{
    public static string Suite => Path.Combine(AppContext.BaseDirectory, "Conformance", "suite");

    public static string SuiteTests => Path.Combine(Suite, "tests");

    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");
}
