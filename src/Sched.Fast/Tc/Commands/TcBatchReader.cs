namespace Sched.Fast.Tc.Commands;

/// <summary>
/// lib/utils.c getcmdline(): reads a batch line, cutting it at '#' and joining lines that end with a backslash;
/// <see cref="LineNumber"/> is the number of the last physical line read (tc's cmdlineno).
/// </summary>
public sealed class TcBatchReader(TextReader reader)
{
    public int LineNumber { get; private set; }

    /// <summary>The file ended inside a continued line ("Missing continuation line").</summary>
    public bool MissingContinuation { get; private set; }

    /// <summary>The next command line, or null at the end.</summary>
    public string? ReadCommand()
    {
        string? line = reader.ReadLine();
        if (line is null) return null;
        LineNumber++;
        line = CutComment(line);
        while (line.EndsWith('\\'))
        {
            string? next = reader.ReadLine();
            if (next is null)
            {
                // getcmdline() reports it and the batch ends as at end of file.
                MissingContinuation = true;
                return null;
            }
            LineNumber++;
            line = line[..^1] + CutComment(next);
        }
        return line;
    }

    private static string CutComment(string line)
    {
        int hash = line.IndexOf('#');
        return hash < 0 ? line : line[..hash];
    }
}
