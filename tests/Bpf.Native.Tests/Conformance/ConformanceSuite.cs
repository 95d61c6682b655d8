using Bpf.Native.Conformance;
using Bpf.Native.Tests.Support;

namespace Bpf.Native.Tests.Conformance;

/// <summary>The vendored bpf_conformance suite (tests/Bpf.Native.Tests/Conformance/suite, licence in LICENSE).</summary>
internal static class ConformanceSuite
{
    public const int ExpectedTestCount = 313;

    public static IEnumerable<string> TestNames =>
        Directory.GetFiles(TestPaths.SuiteTests, "*.data").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static ConformanceTestFile Load(string name) => ConformanceTestFile.Load(Path.Combine(TestPaths.SuiteTests, name));
}
