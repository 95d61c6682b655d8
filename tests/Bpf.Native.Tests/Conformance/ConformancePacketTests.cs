using Bpf.Native.Conformance;
using Bpf.Native.Tests.Support;

namespace Bpf.Native.Tests.Conformance;

/// <summary>Our own legacy packet group (Conformance/packet/*.data) through the plugin, on both engines.</summary>
public sealed class ConformancePacketTests
{
    private static string Directory => Path.Combine(AppContext.BaseDirectory, "Conformance", "packet");

    public static TheoryData<string, string> Tests()
    {
        var data = new TheoryData<string, string>();
        foreach (string path in System.IO.Directory.GetFiles(Directory, "*.data").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path), "interpreter");
            data.Add(Path.GetFileName(path), "jit");
        }
        return data;
    }

    [Fact]
    public void The_packet_group_has_tests() =>
        Assert.True(System.IO.Directory.GetFiles(Directory, "*.data").Length >= 14);

    [Theory]
    [MemberData(nameof(Tests))]
    public void Packet_test_passes_through_the_plugin(string name, string engine)
    {
        var test = ConformanceTestFile.Load(Path.Combine(Directory, name));
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exit = ConformancePlugin.Run([ConformancePlugin.EncodeHex(test.Memory), $"--engine {engine}"],
            new StringReader(ConformancePlugin.EncodeHex(test.Bytecode()) + "\n"), stdout, stderr);

        Assert.True(exit == 0, $"exit {exit}: {stdout}{stderr}");
        Assert.Equal($"{test.ExpectedResult:x}", stdout.ToString().Trim());
    }
}
