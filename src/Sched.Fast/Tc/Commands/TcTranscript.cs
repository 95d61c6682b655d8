using System.Text;

namespace Sched.Fast.Tc.Commands;

/// <summary>
/// Runs a batch and then show commands, each as its own tc invocation against the same state, and writes what
/// they print in the layout of the kernel oracle (shared/oracle/kernel-tc): the batch's output, "(batch exit N)",
/// then for each command a blank line, "$ tc COMMAND" and its output (stderr included). Golden files are kept in
/// this layout so the oracle's output can be compared byte for byte.
/// </summary>
public static class TcTranscript
{
    /// <summary>Where the oracle puts the batch inside its VM; "Command failed" lines name it.</summary>
    public const string OracleBatchPath = "/work/kernel-tc-batch.tc";

    public static string Run(TcEngine engine, string batchText, IEnumerable<string> showCommands,
        string batchName = OracleBatchPath)
    {
        var sb = new StringBuilder();
        TcRunResult batch = engine.Run(["-b", batchName],
            name => name == batchName ? new StringReader(batchText) : throw new KeyNotFoundException(name), null);
        sb.Append(batch.Output.Combined);
        sb.Append("(batch exit ").Append(batch.ExitCode).Append(")\n");
        foreach (string show in showCommands)
        {
            sb.Append("\n$ tc ").Append(show).Append('\n');
            TcRunResult r = engine.Run(TcTokenizer.Split(show));
            sb.Append(r.Output.Combined);
        }
        return sb.ToString();
    }
}
