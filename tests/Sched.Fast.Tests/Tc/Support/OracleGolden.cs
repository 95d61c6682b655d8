using System.Runtime.CompilerServices;
using Sched.Fast.Tc.Commands;

namespace Sched.Fast.Tests.Tc.Support;

/// <summary>
/// The kernel-oracle golden cases kept in subfolders of Tc/Golden (Aqm, Netem, Shapers): NAME.tc, a batch run with
/// "tc -b", then every line of NAME.cmds as its own tc command, stdout and stderr together; NAME.golden is what
/// /work/shared/oracle/kernel-tc printed for them on Linux 6.1 with iproute2 6.1 (regen.sh in each subfolder makes
/// it). The replay is <see cref="TcTranscript"/> over <see cref="TcOffline"/>, whose devices are the oracle lab's.
/// </summary>
public static class OracleGolden
{
    public static string Directory(string folder) => Path.Combine(GoldenRoot(), folder);

    public static string Expected(string folder, string name) =>
        File.ReadAllText(Path.Combine(Directory(folder), name + ".golden"));

    public static string Replay(string folder, string name)
    {
        string dir = Directory(folder);
        string batch = File.ReadAllText(Path.Combine(dir, name + ".tc"));
        string[] commands = [.. File.ReadAllLines(Path.Combine(dir, name + ".cmds")).Where(l => l.Length > 0)];
        return TcTranscript.Run(TcOffline.Create(), batch, commands);
    }

    /// <summary>Replays the case and compares it with its golden file; on a difference writes $TMPDIR/NAME.actual.</summary>
    public static void AssertMatches(string folder, string name)
    {
        string expected = Expected(folder, name);
        string actual = Replay(folder, name);
        if (expected != actual)
        {
            File.WriteAllText(Path.Combine(Path.GetTempPath(), name + ".actual"), actual);
            Assert.Equal(expected, actual); // xunit shows the first difference
        }
    }

    private static string GoldenRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "Golden"));
}
