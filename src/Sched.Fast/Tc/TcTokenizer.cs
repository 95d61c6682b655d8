namespace Sched.Fast.Tc;

/// <summary>
/// Splits a command line into words the way tc's batch mode does: lib/utils.c getcmdline() cuts the line at the
/// first '#' (anywhere, even inside quotes), and makeargs() separates words at spaces, tabs, CR and LF; a word that
/// begins with a single or double quote runs to the next identical quote, with no escapes. Quotes elsewhere in a
/// word are ordinary characters.
/// </summary>
public static class TcTokenizer
{
    /// <summary>makeargs()'s MAX_ARGS (include/utils.h): a line may hold at most 511 words.</summary>
    public const int MaxArgs = 512;

    public static List<string> Split(string line)
    {
        int hash = line.IndexOf('#');
        if (hash >= 0) line = line[..hash];
        var words = new List<string>();
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsSpace(line[i])) i++;
            if (i >= line.Length) break;
            if (words.Count >= MaxArgs - 1) throw TcException.Exit("Too many arguments to command", 1);
            char c = line[i];
            if (c == '\'' || c == '"')
            {
                int end = line.IndexOf(c, i + 1);
                if (end < 0) throw TcException.Exit("Unterminated quoted string", 1);
                words.Add(line[(i + 1)..end]);
                // makeargs() overwrites the closing quote with the word's terminator: what follows starts a word.
                i = end + 1;
                continue;
            }
            int start = i;
            while (i < line.Length && !IsSpace(line[i])) i++;
            words.Add(line[start..i]);
            i++;
        }
        return words;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';
}
