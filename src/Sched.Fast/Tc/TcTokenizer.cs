using System.Text;

namespace Sched.Fast.Tc;

/// <summary>
/// Splits a command line into words the way tc's batch mode does (lib/utils.c makeargs): whitespace separates,
/// double or single quotes group, a backslash escapes the next character, '#' starts a comment at a word boundary.
/// </summary>
public static class TcTokenizer
{
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == '\\' && i + 1 < line.Length) sb.Append(line[++i]);
                else sb.Append(c);
                continue;
            }
            if (c == '"' || c == '\'') { quote = c; inWord = true; continue; }
            if (c == '\\' && i + 1 < line.Length) { sb.Append(line[++i]); inWord = true; continue; }
            if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(sb.ToString()); sb.Clear(); inWord = false; }
                continue;
            }
            if (c == '#' && !inWord) break;
            sb.Append(c);
            inWord = true;
        }
        if (quote != '\0') throw new TcException("Unterminated quoted string");
        if (inWord) words.Add(sb.ToString());
        return words;
    }
}
