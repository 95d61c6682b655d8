using System.CommandLine;
using System.Globalization;
using System.Text;
using Bpf.Native.Maps;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder bpf map dump|lookup|update|delete PATH ...</c> on maps pinned by the forwarder (its pin files, see
/// MapPinStore), with bpftool's arguments and output (tools/bpf/bpftool/map.c without BTF, which pin files do not
/// carry): "key: 00 00 00 00  value: 01 00 ..." lines, "Found N elements", and with -j the same JSON as
/// <c>bpftool -j map dump</c>.
/// </summary>
internal static class BpfMapCommands
{
    public static Command Build()
    {
        var map = new Command("map", "read and change a pinned map (bpftool map)");
        map.Add(Dump());
        map.Add(Lookup());
        map.Add(Update());
        map.Add(Delete());
        return map;
    }

    private static Argument<string> PathArgument() => new("PATH") { Description = "the pinned map (for tc's global maps: /run/forwarder/bpf/tc/globals/NAME)" };

    private static Option<bool> Json() => new("--json", "-j") { Description = "JSON output, as bpftool -j" };

    private static Argument<string[]> Words(string help) => new("ARGS") { Arity = ArgumentArity.ZeroOrMore, Description = help };

    private static Command Dump()
    {
        var path = PathArgument();
        var json = Json();
        var cmd = new Command("dump", "every element, as bpftool map dump") { path, json };
        cmd.SetAction(r => WithMap(r.GetValue(path)!, Console.Error, m => DumpMap(m, r.GetValue(json), Console.Out)));
        return cmd;
    }

    private static Command Lookup()
    {
        var path = PathArgument();
        var json = Json();
        var words = Words("key [hex] BYTES");
        var cmd = new Command("lookup", "one element, as bpftool map lookup") { path, words, json };
        cmd.SetAction(r => WithMap(r.GetValue(path)!, Console.Error,
            m => LookupMap(m, r.GetValue(words) ?? [], r.GetValue(json), Console.Out, Console.Error)));
        return cmd;
    }

    private static Command Update()
    {
        var path = PathArgument();
        var words = Words("key [hex] BYTES value [hex] BYTES [any|exist|noexist]");
        var cmd = new Command("update", "create or change an element, as bpftool map update") { path, words };
        cmd.SetAction(r => WithMap(r.GetValue(path)!, Console.Error, m => UpdateMap(m, r.GetValue(words) ?? [], Console.Error)));
        return cmd;
    }

    private static Command Delete()
    {
        var path = PathArgument();
        var words = Words("key [hex] BYTES");
        var cmd = new Command("delete", "remove an element, as bpftool map delete") { path, words };
        cmd.SetAction(r => WithMap(r.GetValue(path)!, Console.Error, m => DeleteMap(m, r.GetValue(words) ?? [], Console.Error)));
        return cmd;
    }

    private static int WithMap(string path, TextWriter stderr, Func<BpfMap, int> action)
    {
        BpfMap map;
        try
        {
            map = MapPinStore.Open(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MapFormatException)
        {
            stderr.WriteLine($"Error: bpf obj get ({path}): {e.Message}");
            return 255;
        }
        using (map)
        {
            return action(map);
        }
    }

    public static int DumpMap(BpfMap map, bool json, TextWriter stdout)
    {
        var text = new StringBuilder();
        int count = 0;
        if (json) text.Append('[');
        var value = new byte[map.UserValueSize];
        foreach (byte[] key in map.Keys())
        {
            int result = map.LookupElement(key, value);
            if (result != 0)
            {
                continue;
            }
            if (json)
            {
                if (count > 0) text.Append(',');
                AppendJsonEntry(text, map, key, value);
            }
            else
            {
                AppendPlainEntry(text, map, key, value);
            }
            count++;
        }
        if (json) text.Append("]\n");
        else text.Append(CultureInfo.InvariantCulture, $"Found {count} element{(count != 1 ? "s" : "")}\n");
        stdout.Write(text.ToString());
        return 0;
    }

    public static int LookupMap(BpfMap map, string[] words, bool json, TextWriter stdout, TextWriter stderr)
    {
        int at = 0;
        byte[]? key = ParseElement(words, ref at, "key", (int)map.KeySize, stderr);
        if (key is null) return 255;
        var value = new byte[map.UserValueSize];
        int result = map.LookupElement(key, value);
        if (result == BpfErrno.NoEntry)
        {
            stdout.Write(json ? "null\n" : $"key:\n{Hex(key)}\n\nNot found\n");
            return 255;
        }
        if (result != 0)
        {
            stderr.WriteLine($"Error: lookup failed: {Sched.Fast.Tc.Errno.Describe(-result)}");
            return 255;
        }
        var text = new StringBuilder();
        if (json) AppendJsonEntry(text, map, key, value);
        else AppendPlainEntry(text, map, key, value);
        if (json) text.Append('\n');
        stdout.Write(text.ToString());
        return 0;
    }

    public static int UpdateMap(BpfMap map, string[] words, TextWriter stderr)
    {
        int at = 0;
        byte[]? key = ParseElement(words, ref at, "key", (int)map.KeySize, stderr);
        if (key is null) return 255;
        byte[]? value = ParseElement(words, ref at, "value", (int)map.ValueSize, stderr);
        if (value is null) return 255;
        ulong flags = BpfUpdateFlags.Any;
        if (at < words.Length)
        {
            switch (words[at])
            {
                case "any": flags = BpfUpdateFlags.Any; break;
                case "exist": flags = BpfUpdateFlags.Exist; break;
                case "noexist": flags = BpfUpdateFlags.NoExist; break;
                default:
                    stderr.WriteLine($"Error: unknown flag: {words[at]}");
                    return 255;
            }
        }
        if (BpfMapFactory.IsPerCpu(map.Type))
        {
            // fill_per_cpu_value(): the value goes to every CPU's copy.
            int stride = map.Definition.ValueStride;
            var all = new byte[map.UserValueSize];
            for (int cpu = 0; cpu < map.CpuCount; cpu++) value.CopyTo(all, cpu * stride);
            value = all;
        }
        int result = map.UpdateElement(key, value, flags);
        if (result != 0)
        {
            stderr.WriteLine($"Error: update failed: {Sched.Fast.Tc.Errno.Describe(-result)}");
            return 255;
        }
        return 0;
    }

    public static int DeleteMap(BpfMap map, string[] words, TextWriter stderr)
    {
        int at = 0;
        byte[]? key = ParseElement(words, ref at, "key", (int)map.KeySize, stderr);
        if (key is null) return 255;
        int result = map.DeleteElement(key);
        if (result != 0)
        {
            stderr.WriteLine($"Error: delete failed: {Sched.Fast.Tc.Errno.Describe(-result)}");
            return 255;
        }
        return 0;
    }

    /// <summary>parse_elem(): "key [hex] B1 B2 ...", bytes as C integers (base 0, or 16 after "hex").</summary>
    private static byte[]? ParseElement(string[] words, ref int at, string name, int size, TextWriter stderr)
    {
        if (at >= words.Length || words[at] != name)
        {
            stderr.WriteLine($"Error: did not find {name}");
            return null;
        }
        at++;
        int numberBase = 0;
        if (at < words.Length && "hex".StartsWith(words[at], StringComparison.Ordinal) && words[at].Length > 0)
        {
            numberBase = 16;
            at++;
        }
        var bytes = new byte[size];
        int i = 0;
        for (; i < size && at < words.Length; i++, at++)
        {
            if (!Sched.Fast.Tc.CStrtol.TryParseU32(words[at], numberBase, out uint b))
            {
                stderr.WriteLine($"Error: error parsing byte: {words[at]}");
                return null;
            }
            bytes[i] = (byte)b;
        }
        if (i != size)
        {
            stderr.WriteLine($"Error: {name} expected {size} bytes got {i}");
            return null;
        }
        return bytes;
    }

    /// <summary>print_entry_plain().</summary>
    private static void AppendPlainEntry(StringBuilder text, BpfMap map, byte[] key, byte[] value)
    {
        int keySize = (int)map.KeySize;
        int valueSize = (int)map.ValueSize;
        if (!BpfMapFactory.IsPerCpu(map.Type))
        {
            bool breakNames = keySize > 16 || valueSize > 16;
            bool singleLine = keySize + valueSize <= 24 && !breakNames;
            if (keySize > 0)
            {
                text.Append("key:").Append(breakNames ? '\n' : ' ').Append(Hex(key));
                text.Append(singleLine ? "  " : "\n");
            }
            if (valueSize > 0)
            {
                text.Append("value:").Append(breakNames ? '\n' : ' ').Append(Hex(value.AsSpan(0, valueSize)));
            }
            text.Append('\n');
            return;
        }
        int stride = map.Definition.ValueStride;
        if (keySize > 0) text.Append("key:\n").Append(Hex(key)).Append('\n');
        for (int cpu = 0; cpu < map.CpuCount; cpu++)
        {
            text.Append(CultureInfo.InvariantCulture, $"value (CPU {cpu:D2}):").Append(valueSize > 16 ? '\n' : ' ')
                .Append(Hex(value.AsSpan(cpu * stride, valueSize))).Append('\n');
        }
    }

    /// <summary>print_entry_json() without BTF.</summary>
    private static void AppendJsonEntry(StringBuilder text, BpfMap map, byte[] key, byte[] value)
    {
        int valueSize = (int)map.ValueSize;
        text.Append("{\"key\":").Append(JsonBytes(key));
        if (!BpfMapFactory.IsPerCpu(map.Type))
        {
            text.Append(",\"value\":").Append(JsonBytes(value.AsSpan(0, valueSize))).Append('}');
            return;
        }
        int stride = map.Definition.ValueStride;
        text.Append(",\"values\":[");
        for (int cpu = 0; cpu < map.CpuCount; cpu++)
        {
            if (cpu > 0) text.Append(',');
            text.Append(CultureInfo.InvariantCulture, $"{{\"cpu\":{cpu},\"value\":").Append(JsonBytes(value.AsSpan(cpu * stride, valueSize))).Append('}');
        }
        text.Append("]}");
    }

    private static string JsonBytes(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(CultureInfo.InvariantCulture, $"\"0x{bytes[i]:x2}\"");
        }
        return text.Append(']').ToString();
    }

    /// <summary>fprint_hex(stdout, data, n, " "): 8 bytes then two spaces, 16 per line.</summary>
    public static string Hex(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder();
        for (int i = 0; i < data.Length; i++)
        {
            string prefix = i == 0 ? "" : i % 16 == 0 ? "\n" : i % 8 == 0 ? "  " : " ";
            text.Append(prefix).Append(data[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
