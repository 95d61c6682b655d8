using Sched.Fast.Tc.Commands;

namespace Sched.Fast.Tests.Tc;

/// <summary>
/// Every golden case (Tc/Golden/NAME.tc + NAME.show) run through the offline engine must print exactly what the
/// Linux kernel's tc printed for it (NAME.expected, made by Tc/Golden/tc-golden.py regen on the kernel oracle).
/// </summary>
public sealed class TcGoldenTests
{
    private static readonly string s_dir = Path.Combine(AppContext.BaseDirectory, "Tc", "Golden");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.EnumerateFiles(s_dir, "*.tc").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(path));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Offline_output_is_the_kernels(string name)
    {
        string batch = File.ReadAllText(Path.Combine(s_dir, name + ".tc"));
        string showPath = Path.Combine(s_dir, name + ".show");
        string[] shows = File.Exists(showPath)
            ? [.. File.ReadAllLines(showPath).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))]
            : [];
        string expected = File.ReadAllText(Path.Combine(s_dir, name + ".expected"));

        string actual = TcTranscript.Run(TcOffline.Create(), batch, shows);

        Assert.Equal(expected, actual);
    }
}
