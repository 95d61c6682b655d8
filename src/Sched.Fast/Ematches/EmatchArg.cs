namespace Sched.Fast.Ematches;

/// <summary>
/// One argument inside an ematch's parentheses (tc's struct bstr): its bytes as text (Latin-1, one char per byte,
/// since quoted strings may carry escapes like "\x01") and whether it was a quoted string.
/// </summary>
public sealed record EmatchArg(string Text, bool Quoted)
{
    public int Length => Text.Length;

    /// <summary>bstrcmp(b, text) == 0.</summary>
    public bool Is(string text) => string.Equals(Text, text, StringComparison.Ordinal);

    /// <summary>The bytes of the argument.</summary>
    public byte[] Bytes => Text.Select(c => (byte)c).ToArray();
}
