using System.Text.Json;
using Bpf.Native.Conformance;
using Bpf.Native.Isa;
using Bpf.Native.Tests.Support;

namespace Bpf.Native.Tests.Conformance;

/// <summary>
/// All 313 tests of the suite through both engines, each driven through <see cref="ConformancePlugin.Run"/> exactly
/// as the suite's runner drives a plugin: memory as the first argument, plugin options as one second argument, the
/// program on standard input, r0 read back from standard output in hex.
/// </summary>
public sealed class ConformanceSuiteTests
{
    public static TheoryData<string, string> TestsOnBothEngines()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in ConformanceSuite.TestNames)
        {
            data.Add(name, "interpreter");
            data.Add(name, "jit");
        }
        return data;
    }

    public static TheoryData<string> Tests()
    {
        var data = new TheoryData<string>();
        foreach (string name in ConformanceSuite.TestNames)
        {
            data.Add(name);
        }
        return data;
    }

    [Fact]
    public void The_vendored_suite_has_all_313_tests()
    {
        Assert.Equal(ConformanceSuite.ExpectedTestCount, ConformanceSuite.TestNames.Count());
        Assert.Equal(ConformanceSuite.ExpectedTestCount, File.ReadLines(Path.Combine(TestPaths.Suite, "assembled.jsonl")).Count());
    }

    [Theory]
    [MemberData(nameof(TestsOnBothEngines))]
    public void Suite_test_passes_through_the_plugin(string name, string engine)
    {
        var test = ConformanceSuite.Load(name);
        var stdin = new StringReader(ConformancePlugin.EncodeHex(test.Bytecode()) + "\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exit = ConformancePlugin.Run([ConformancePlugin.EncodeHex(test.Memory), $"--engine {engine}"], stdin, stdout, stderr);

        if (test.ExpectedError is { } error)
        {
            Assert.NotEqual(0, exit);
            Assert.Equal(error, stdout.ToString().Trim());
            return;
        }
        Assert.True(exit == 0, $"exit {exit}: {stdout}{stderr}");
        ulong r0 = Convert.ToUInt64(stdout.ToString().Trim(), 16);
        Assert.Equal($"0x{test.ExpectedResult:x}", $"0x{r0:x}");
    }

    /// <summary>The suite ships its runner's own assembly of every test; ours must produce the same bytes.</summary>
    [Theory]
    [MemberData(nameof(Tests))]
    public void Assembler_produces_the_suites_bytecode(string name)
    {
        var expected = File.ReadLines(Path.Combine(TestPaths.Suite, "assembled.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(e => e.GetProperty("name").GetString() == name);
        var test = ConformanceSuite.Load(name);

        Assert.Equal(expected.GetProperty("bytecode").GetString(), Convert.ToHexString(test.Bytecode()).ToLowerInvariant());
        Assert.Equal(expected.GetProperty("mem").GetString(), Convert.ToHexString(test.Memory).ToLowerInvariant());
        Assert.Equal(expected.GetProperty("expected").GetString(), $"0x{test.ExpectedResult:x}");
    }

    [Fact]
    public void Raw_section_agrees_with_the_assembly()
    {
        var test = ConformanceSuite.Load("lddw.data");

        Assert.NotNull(test.Raw);
        Assert.Equal(Assembler.AssembleToBytes(test.Assembly), test.Raw!.SelectMany(BitConverter.GetBytes).ToArray());
    }
}
