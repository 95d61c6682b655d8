using System.Text;

namespace Sched.Fast.Tc.Commands;

/// <summary>
/// What a tc run printed, on stdout and stderr, in the order it was printed (tc flushes stdout after every object
/// it shows, so the order is what a terminal would show). A client replays the chunks to its own streams.
/// </summary>
public sealed class TcOutput
{
    private readonly List<TcOutputChunk> _chunks = [];
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public IReadOnlyList<TcOutputChunk> Chunks => _chunks;

    public string Stdout => _stdout.ToString();
    public string Stderr => _stderr.ToString();

    /// <summary>Both streams interleaved, as "2>&amp;1" would capture them.</summary>
    public string Combined => string.Concat(_chunks.Select(c => c.Text));

    public void Out(string text) => Append(false, text, _stdout);

    public void Err(string text) => Append(true, text, _stderr);

    private void Append(bool isError, string text, StringBuilder sink)
    {
        if (text.Length == 0) return;
        sink.Append(text);
        if (_chunks.Count > 0 && _chunks[^1].IsError == isError)
            _chunks[^1] = _chunks[^1] with { Text = _chunks[^1].Text + text };
        else
            _chunks.Add(new TcOutputChunk(isError, text));
    }
}
