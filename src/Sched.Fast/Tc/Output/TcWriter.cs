using System.Globalization;
using System.Text;

namespace Sched.Fast.Tc.Output;

/// <summary>
/// Plain or JSON output with iproute2's semantics (lib/json_print.c over lib/json_writer.c): every value is printed
/// with a target (<see cref="PrintTarget"/>), a JSON key and a C format for plain text, so a kind's printer can be
/// written call for call like its q_*.c/f_*.c/m_*.c counterpart and match tc's output character for character.
/// JSON mode is compact unless <see cref="Pretty"/> (tc -p), with json_writer's exact separators and indentation.
/// </summary>
public sealed class TcWriter
{
    private readonly StringBuilder _out = new();
    private readonly bool _json;
    private int _depth;
    private char _sep;

    public TcWriter(bool json = false, bool pretty = false, TcPrintOptions? options = null)
    {
        _json = json;
        Pretty = pretty;
        Options = options ?? TcPrintOptions.Default;
    }

    /// <summary>A writer for the output mode <paramref name="options"/> selects (-j, -p).</summary>
    public TcWriter(TcPrintOptions options) : this(options.Json, options.Pretty, options) { }

    public bool IsJson => _json;
    public bool Pretty { get; set; }

    /// <summary>The global flags tc's printers consult (-s, -d, -iec, -raw, ...).</summary>
    public TcPrintOptions Options { get; }

    /// <summary>The line separator: "\n", or "\\" under tc -oneline (iproute2's _SL_).</summary>
    public string LineSeparator => Options.OneLine ? "\\" : "\n";

    public override string ToString() => _out.ToString();

    public int Length => _out.Length;

    private bool InJson(PrintTarget t) => _json && (t & (PrintTarget.Json | PrintTarget.Any)) != 0;
    private bool InPlain(PrintTarget t) => !_json && (t & (PrintTarget.Plain | PrintTarget.Any)) != 0;

    // ---- plain text ----

    /// <summary>Raw text in plain mode only (fprintf(fp, ...) in tc's code).</summary>
    public void Plain(string text)
    {
        if (!_json) _out.Append(text);
    }

    /// <summary>
    /// fprintf(fp, ...) straight to the output in every mode: iproute2 printers that bypass json_print (the ematch
    /// tree printer of tc/m_ematch.c) write into JSON output this way, and tc's output has it there.
    /// </summary>
    public void Raw(string text) => _out.Append(text);

    public void PlainFormat(string format, params object?[] args)
    {
        if (!_json) CFormat.Append(_out, format, args);
    }

    /// <summary>print_nl(): a line break in plain mode.</summary>
    public void Newline() => Plain(LineSeparator);

    // ---- json_print.c ----

    public void OpenObject(string? key)
    {
        if (!_json) return;
        if (key is not null) JsonName(key);
        JsonBegin('{');
    }

    public void CloseObject()
    {
        if (_json) JsonEnd('}');
    }

    public void OpenArray(PrintTarget t, string? key, string plainDelimiter = "")
    {
        if (InJson(t))
        {
            if (key is not null) JsonName(key);
            JsonStartArray();
        }
        else if (InPlain(t)) _out.Append(plainDelimiter);
    }

    public void CloseArray(PrintTarget t, string plainDelimiter = "")
    {
        if (InJson(t)) JsonEndArray();
        else if (InPlain(t)) _out.Append(plainDelimiter);
    }

    /// <summary>The outermost array of a -j dump (new_json_obj()).</summary>
    public void BeginDocument()
    {
        if (_json) JsonStartArray();
    }

    /// <summary>Closes the document (delete_json_obj()): the array and jsonw_destroy()'s final newline.</summary>
    public void EndDocument()
    {
        if (!_json) return;
        JsonEndArray();
        _out.Append('\n');
    }

    /// <summary>
    /// How many JSON objects and arrays are open (json_writer's depth): 1 inside a document between
    /// <see cref="BeginDocument"/> and <see cref="EndDocument"/> when every printer closed what it opened.
    /// </summary>
    public int JsonDepth => _depth;

    /// <summary>
    /// Drops what was written after the first <paramref name="length"/> characters: output a process still held in
    /// its stdio buffer when it died (tc's printers fflush() after each object they print; the rest is lost).
    /// </summary>
    public void Truncate(int length)
    {
        if (length < _out.Length) _out.Length = length;
    }

    /// <summary>Whether JSON output is being written (iproute2's is_json_context()).</summary>
    public bool IsJsonContext => _json;

    public void String(PrintTarget t, string? key, string? format, string? value)
    {
        if (InJson(t))
        {
            if (key is not null && value is null) JsonName(key);
            else if (key is null) JsonString(value ?? "");
            else { JsonName(key); JsonString(value!); }
        }
        else if (InPlain(t) && format is not null) CFormat.Append(_out, format, value);
    }

    public void Uint(PrintTarget t, string? key, string? format, ulong value) =>
        Number(t, key, format, value, value.ToString(CultureInfo.InvariantCulture));

    public void Int(PrintTarget t, string? key, string? format, long value) =>
        Number(t, key, format, value, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>print_hu().</summary>
    public void Hu(PrintTarget t, string? key, string? format, ushort value) => Uint(t, key, format, value);

    /// <summary>print_float(): JSON uses %g.</summary>
    public void Float(PrintTarget t, string? key, string? format, double value) =>
        Number(t, key, format, value, CFormat.Format("%g", value));

    /// <summary>print_hex(): JSON gets the hex digits as a string.</summary>
    public void Hex(PrintTarget t, string? key, string? format, uint value)
    {
        if (InJson(t))
        {
            string s = value.ToString("x", CultureInfo.InvariantCulture);
            if (key is null) JsonString(s); else { JsonName(key); JsonString(s); }
        }
        else if (InPlain(t) && format is not null) CFormat.Append(_out, format, value);
    }

    /// <summary>print_0xhex(): JSON gets "0x2a" as a string.</summary>
    public void ZeroXHex(PrintTarget t, string? key, string? format, ulong value)
    {
        if (InJson(t)) String(PrintTarget.Json, key, null, CFormat.Format("%#x", value));
        else if (InPlain(t) && format is not null) CFormat.Append(_out, format, value);
    }

    /// <summary>print_bool(): plain output receives "true"/"false" through the format.</summary>
    public void Bool(PrintTarget t, string? key, string? format, bool value)
    {
        if (InJson(t))
        {
            if (key is not null) JsonName(key);
            JsonRaw(value ? "true" : "false");
        }
        else if (InPlain(t) && format is not null) CFormat.Append(_out, format, value ? "true" : "false");
    }

    /// <summary>print_null(): JSON null; plain prints <paramref name="value"/> through the format.</summary>
    public void Null(PrintTarget t, string? key, string? format, string? value)
    {
        if (InJson(t))
        {
            if (key is not null) JsonName(key);
            JsonRaw("null");
        }
        else if (InPlain(t) && format is not null) CFormat.Append(_out, format, value);
    }

    private void Number(PrintTarget t, string? key, string? format, object value, string json)
    {
        if (InJson(t))
        {
            if (key is not null) JsonName(key);
            JsonRaw(json);
        }
        else if (InPlain(t) && format is not null) CFormat.Append(_out, format, value);
    }

    // ---- tc_util.c value printers: a number in JSON, tc's human form in plain text ----

    /// <summary>print_rate(): bytes/s in JSON, "10Mbit" in plain text.</summary>
    public void Rate(PrintTarget t, string? key, string format, ulong bytesPerSecond)
    {
        if (InJson(t)) Uint(PrintTarget.Json, key, null, bytesPerSecond);
        else if (InPlain(t)) CFormat.Append(_out, format, TcUnits.FormatRate(bytesPerSecond, Options.UseIec));
    }

    /// <summary>print_size(): bytes in JSON, "1514b"/"10Kb" in plain text.</summary>
    public void Size(PrintTarget t, string? key, string format, uint bytes)
    {
        if (InJson(t)) Uint(PrintTarget.Json, key, null, bytes);
        else if (InPlain(t)) CFormat.Append(_out, format, TcUnits.FormatSize(bytes));
    }

    /// <summary>A time held in microseconds (sprint_time()): JSON gets the number, plain "50.0ms".</summary>
    public void TimeUs(PrintTarget t, string? key, string format, uint microseconds)
    {
        if (InJson(t)) Uint(PrintTarget.Json, key, null, microseconds);
        else if (InPlain(t)) CFormat.Append(_out, format, TcUnits.FormatTimeUs(microseconds));
    }

    /// <summary>A time held in nanoseconds (sprint_time64()): JSON gets the number, plain "5ms".</summary>
    public void TimeNs(PrintTarget t, string? key, string format, long nanoseconds)
    {
        if (InJson(t)) Int(PrintTarget.Json, key, null, nanoseconds);
        else if (InPlain(t)) CFormat.Append(_out, format, TcUnits.FormatTimeNs(nanoseconds));
    }

    // ---- lib/json_writer.c ----

    /// <summary>jsonw_start_array(): pretty output puts a space after the bracket.</summary>
    private void JsonStartArray()
    {
        JsonBegin('[');
        if (Pretty) _out.Append(' ');
    }

    /// <summary>jsonw_end_array(): " ]" after elements in pretty output, never a line break.</summary>
    private void JsonEndArray()
    {
        if (Pretty && _sep != '\0') _out.Append(' ');
        _sep = '\0';
        JsonEnd(']');
    }

    private void JsonIndent()
    {
        for (int i = 0; i < _depth; i++) _out.Append("    ");
    }

    private void JsonEol()
    {
        if (!Pretty) return;
        _out.Append('\n');
        JsonIndent();
    }

    private void JsonEor()
    {
        if (_sep != '\0') _out.Append(_sep);
        _sep = ',';
    }

    private void JsonBegin(char c)
    {
        JsonEor();
        _out.Append(c);
        _depth++;
        _sep = '\0';
    }

    private void JsonEnd(char c)
    {
        if (_depth == 0) throw new InvalidOperationException("JSON close without open");
        _depth--;
        if (_sep != '\0') JsonEol();
        _out.Append(c);
        _sep = ',';
    }

    private void JsonName(string name)
    {
        JsonEor();
        JsonEol();
        _sep = '\0';
        JsonPuts(name);
        _out.Append(':');
        if (Pretty) _out.Append(' ');
    }

    private void JsonString(string value)
    {
        JsonEor();
        JsonPuts(value);
    }

    private void JsonRaw(string text)
    {
        JsonEor();
        _out.Append(text);
    }

    private void JsonPuts(string s)
    {
        _out.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '\t': _out.Append("\\t"); break;
                case '\n': _out.Append("\\n"); break;
                case '\r': _out.Append("\\r"); break;
                case '\f': _out.Append("\\f"); break;
                case '\b': _out.Append("\\b"); break;
                case '\\': _out.Append("\\\\"); break;
                case '"': _out.Append("\\\""); break;
                default: _out.Append(c); break;
            }
        }
        _out.Append('"');
    }
}
