using System.Text;

namespace Sched.Fast.Ematches;

/// <summary>
/// tc/emp_ematch.l: the ematch scanner. It reads the command's words one at a time, each followed by a space
/// (its YY_INPUT), so how many words it has consumed when parsing stops depends on flex's look-ahead exactly as
/// here: a run of blanks at the end of a word pulls in the next word, as does a quoted string or attribute that
/// reaches the end of the buffer. <see cref="WordsLeft"/> is tc's ematch_argc.
/// </summary>
public sealed class EmatchLexer
{
    private readonly IReadOnlyList<string> _words;
    private int _nextWord;
    private string _buffer = "";
    private int _pos;

    // emp_ematch.l keeps one string buffer for every quoted string and hands out pointers into it, so a later
    // string overwrites the bytes of an earlier one; tc reads them only after parsing (see Resolve).
    private readonly List<char> _strbuf = [];
    private int _strIndex;

    public EmatchLexer(IReadOnlyList<string> words, int start)
    {
        _words = words;
        _nextWord = start;
    }

    /// <summary>ematch_argc: words not yet read by the scanner.</summary>
    public int WordsLeft => _words.Count - _nextWord;

    /// <summary>Messages the scanner itself printed (escape sequence errors).</summary>
    public StringBuilder Diagnostics { get; } = new();

    /// <summary>YY_INPUT: the next non-empty word plus a space, or false at the end.</summary>
    private bool Refill()
    {
        while (_nextWord < _words.Count && _words[_nextWord].Length == 0) _nextWord++;
        if (_nextWord >= _words.Count) return false;
        _buffer = _words[_nextWord++] + " ";
        _pos = 0;
        return true;
    }

    private bool AtEnd => _pos >= _buffer.Length;

    /// <summary>Makes a character available at the cursor, reading the next word when the buffer is used up.</summary>
    private bool Available() => !AtEnd || Refill();

    public EmatchToken Next()
    {
        while (true)
        {
            if (!Available()) return EmatchToken.End;
            char c = _buffer[_pos];
            if (IsBlank(c))
            {
                // [ \t\r\n]+: flex must see the character after the run, which may be in the next word.
                while (Available() && IsBlank(_buffer[_pos])) _pos++;
                continue;
            }
            if (c == '"') return ReadString();
            if (c is '(' or ')')
            {
                _pos++;
                return new EmatchToken(c == '(' ? EmatchTokenKind.Open : EmatchTokenKind.Close, null);
            }
            int start = _pos;
            while (_pos < _buffer.Length && !IsBlank(_buffer[_pos]) && _buffer[_pos] is not ('(' or ')')) _pos++;
            string text = _buffer[start.._pos];
            if (text.Equals("and", StringComparison.OrdinalIgnoreCase)) return new EmatchToken(EmatchTokenKind.And, null);
            if (text.Equals("or", StringComparison.OrdinalIgnoreCase)) return new EmatchToken(EmatchTokenKind.Or, null);
            if (text.Equals("not", StringComparison.OrdinalIgnoreCase)) return new EmatchToken(EmatchTokenKind.Not, null);
            return new EmatchToken(EmatchTokenKind.Attribute, new EmatchArg(text, false));
        }
    }

    /// <summary>The &lt;lexstr&gt; state: C escapes, continuing across words (the separating space included).</summary>
    private EmatchToken ReadString()
    {
        _pos++;
        _strIndex = 0;
        var sb = new StringBuilder();
        while (true)
        {
            if (!Available()) return EmatchToken.End;
            char c = _buffer[_pos];
            if (c == '"')
            {
                _pos++;
                return new EmatchToken(EmatchTokenKind.Attribute, new EmatchArg(sb.ToString(), true));
            }
            if (c != '\\')
            {
                Append(sb, c);
                _pos++;
                continue;
            }
            // An escape: the buffer always holds the character after a backslash (a word ends with a space).
            char e = _buffer[_pos + 1];
            if (e is >= '0' and <= '9')
            {
                int digits = 0;
                while (_pos + 1 + digits < _buffer.Length && char.IsAsciiDigit(_buffer[_pos + 1 + digits])) digits++;
                int octal = 0;
                while (octal < 3 && octal < digits && _buffer[_pos + 1 + octal] is >= '0' and <= '7') octal++;
                // \\[0-7]{1,3} and \\[0-9]+ compete; the longer match wins, the octal rule on a tie.
                if (digits > octal || octal == 0)
                {
                    Diagnostics.Append("error: invalid octale escape sequence\n");
                    _pos += 1 + digits;
                    return new EmatchToken(EmatchTokenKind.Error, null);
                }
                int value = Convert.ToInt32(_buffer.Substring(_pos + 1, octal), 8);
                if (value > 0xFF)
                {
                    Diagnostics.Append("error: octal escape sequence out of range\n");
                    _pos += 1 + octal;
                    return new EmatchToken(EmatchTokenKind.Error, null);
                }
                Append(sb, (char)value);
                _pos += 1 + octal;
                continue;
            }
            if (e == 'x' && _pos + 2 < _buffer.Length && char.IsAsciiHexDigit(_buffer[_pos + 2]))
            {
                int n = _pos + 3 < _buffer.Length && char.IsAsciiHexDigit(_buffer[_pos + 3]) ? 2 : 1;
                Append(sb, (char)Convert.ToInt32(_buffer.Substring(_pos + 2, n), 16));
                _pos += 2 + n;
                continue;
            }
            Append(sb, e switch
            {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'v' => '\v',
                'b' => '\b',
                'f' => '\f',
                'a' => '\a',
                _ => e,
            });
            _pos += 2;
        }
    }

    private void Append(StringBuilder sb, char c)
    {
        sb.Append(c);
        if (_strIndex < _strbuf.Count) _strbuf[_strIndex] = c;
        else _strbuf.Add(c);
        _strIndex++;
    }

    /// <summary>
    /// A quoted argument as tc finally reads it: its length is its own, its bytes are whatever the shared string
    /// buffer holds once scanning is over.
    /// </summary>
    public EmatchArg Resolve(EmatchArg arg) =>
        arg.Quoted ? arg with { Text = new string(_strbuf.Take(arg.Text.Length).ToArray()) } : arg;

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\r' or '\n';
}
