namespace Sched.Fast.Tc;

/// <summary>
/// A cursor over a command's words, as iproute2's argc/argv with NEXT_ARG(): each kind's option parser walks it the
/// way its q_*.c/f_*.c/m_*.c counterpart walks argv, and errors carry the word they were about.
/// </summary>
public sealed class TcArgs
{
    private readonly string[] _words;
    private int _pos;

    public TcArgs(IReadOnlyList<string> words, int start = 0)
    {
        _words = [.. words];
        _pos = start;
    }

    public static TcArgs Parse(string line) => new(TcTokenizer.Split(line));

    public bool HasMore => _pos < _words.Length;
    public int Remaining => _words.Length - _pos;
    public int Position => _pos;

    /// <summary>The current word (*argv). Throws when there is none.</summary>
    public string Current => _pos < _words.Length
        ? _words[_pos]
        : throw TcException.Incomplete();

    public string? PeekOrNull(int ahead = 0) => _pos + ahead < _words.Length ? _words[_pos + ahead] : null;

    /// <summary>Consumes the current word and returns it.</summary>
    public string Take()
    {
        string w = Current;
        _pos++;
        return w;
    }

    /// <summary>NEXT_ARG(): moves to the next word, which must exist ("Command line is not complete").</summary>
    public string NextArg()
    {
        _pos++;
        return Current;
    }

    /// <summary>NEXT_ARG_FWD(): moves on without requiring another word.</summary>
    public void Advance() => _pos++;

    /// <summary>Moves past the current word and returns this cursor (argc-1, argv+1 when calling on).</summary>
    public TcArgs Skip()
    {
        _pos++;
        return this;
    }

    /// <summary>
    /// iproute2's <c>matches(arg, pattern) == 0</c>: the current word is a non-empty prefix of
    /// <paramref name="keyword"/> ("lim" matches "limit").
    /// </summary>
    public bool Matches(string keyword) => _pos < _words.Length && IsPrefixOf(_words[_pos], keyword);

    /// <summary><c>strcmp(*argv, keyword) == 0</c>.</summary>
    public bool Is(string keyword) => _pos < _words.Length && _words[_pos] == keyword;

    public static bool IsPrefixOf(string word, string keyword) =>
        word.Length > 0 && word.Length <= keyword.Length && keyword.StartsWith(word, StringComparison.Ordinal);

    /// <summary>The words from the cursor on (for kinds that hand the rest to a nested parser).</summary>
    public IReadOnlyList<string> Rest => _words[_pos..];

    public void Seek(int position) => _pos = Math.Clamp(position, 0, _words.Length);

    public override string ToString() => string.Join(' ', _words[_pos..]);
}
