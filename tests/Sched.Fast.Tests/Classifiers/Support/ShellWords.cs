using System.Text;

namespace Sched.Fast.Tests.Classifiers.Support;

/// <summary>
/// Splits a command line as the POSIX shell that ran the golden commands did: single quotes keep everything
/// literally (backslashes too), double quotes let a backslash escape only $ ` " \ and newline, and a backslash
/// outside quotes escapes the next character.
/// </summary>
public static class ShellWords
{
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\'')
            {
                int end = line.IndexOf('\'', i + 1);
                if (end < 0) throw new ArgumentException("unterminated quote");
                sb.Append(line, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '"')
            {
                i++;
                for (; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '$' or '`' or '"' or '\\') i++;
                    sb.Append(line[i]);
                }
                inWord = true;
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                sb.Append(line[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(sb.ToString());
                sb.Clear();
                inWord = false;
            }
            else
            {
                sb.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(sb.ToString());
        return words;
    }
}
