using System.Globalization;
using System.Text;
using Bpf.Native.Programs.Classic;
using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// iproute2's program options shared by the bpf filter and action (lib/bpf_legacy.c bpf_do_parse(),
/// bpf_ops_parse(), bpf_parse_string()): "bytecode|bc STRING", "bytecode-file|bcf FILE", "object-file|obj FILE
/// [section NAME] [program NAME] [export UDS] [verbose]", "object-pinned|pinned|fd FILE". On return the cursor is on
/// the last word consumed, as after bpf_do_parse()'s PREV_ARG(). Errors print as tc prints them and are returned as
/// <see cref="TcException"/>s whose message ends with the caller's own line.
/// </summary>
public static class BpfProgramArgs
{
    /// <summary>BPF_MAXINSNS.</summary>
    public const int MaxInstructions = 4096;

    /// <summary>bpf_do_parse(): the cursor is on the mode word.</summary>
    public static BpfProgramRequest Parse(TcArgs args, string defaultSection)
    {
        BpfProgramMode mode;
        if (args.Matches("bytecode") || args.Is("bc"))
        {
            mode = BpfProgramMode.Bytecode;
        }
        else if (args.Matches("bytecode-file") || args.Is("bcf"))
        {
            mode = BpfProgramMode.BytecodeFile;
        }
        else if (args.Matches("object-file") || args.Is("obj"))
        {
            mode = BpfProgramMode.Object;
        }
        else if (args.Matches("object-pinned") || args.Matches("pinned") || args.Matches("fd"))
        {
            mode = BpfProgramMode.Pinned;
        }
        else
        {
            throw new TcException($"What mode is \"{args.Current}\"?");
        }
        string value = args.NextArg();
        if (mode is BpfProgramMode.Bytecode or BpfProgramMode.BytecodeFile)
        {
            return new BpfProgramRequest
            {
                Mode = mode,
                Opcodes = ParseOpcodes(value, mode == BpfProgramMode.BytecodeFile),
            };
        }

        string file = value;
        args.Advance();
        string section = defaultSection;
        string? programName = null;
        bool verbose = false;
        if (args.HasMore && args.Matches("section"))
        {
            section = args.NextArg();
            args.Advance();
        }
        if (args.HasMore && args.Is("program"))
        {
            programName = args.NextArg();
            args.Advance();
        }
        if (args.HasMore && args.Matches("export"))
        {
            // Handing maps to an agent over a Unix socket (bpf_send_map_fds) has no meaning here.
            throw new TcException("Map export to an agent (\"export\") is not supported");
        }
        if (args.HasMore && args.Matches("verbose"))
        {
            verbose = true;
            args.Advance();
        }
        args.Seek(args.Position - 1);
        if (mode == BpfProgramMode.Pinned)
        {
            throw new TcException($"Couldn't retrieve pinned program '{file}': No such file or directory");
        }
        return new BpfProgramRequest
        {
            Mode = mode,
            Object = file,
            Section = section,
            ProgramName = programName,
            Verbose = verbose,
        };
    }

    /// <summary>bpf_ops_parse(): "N,c t f k,c t f k,..." (from a file: newlines act as commas).</summary>
    public static IReadOnlyList<ClassicInstruction> ParseOpcodes(string argument, bool fromFile)
    {
        string text = argument;
        if (fromFile)
        {
            try
            {
                text = ReadBytecodeFile(argument);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new TcException("Cannot fopen: No such file or directory");
            }
        }
        // sscanf("%hu%c") with ',' as the separator.
        int comma = text.IndexOf(',');
        int lengthEnd = 0;
        while (lengthEnd < text.Length && char.IsAsciiDigit(text[lengthEnd])) lengthEnd++;
        if (lengthEnd == 0 || comma != lengthEnd
            || !ushort.TryParse(text.AsSpan(0, lengthEnd), NumberStyles.None, CultureInfo.InvariantCulture, out ushort length))
        {
            throw new TcException("");
        }
        if (length == 0 || length > MaxInstructions)
        {
            throw new TcException("");
        }
        var program = new List<ClassicInstruction>(length);
        int at = comma;
        while (at >= 0 && at + 1 < text.Length)
        {
            at++;
            if (program.Count >= length)
            {
                throw new TcException("Real program length exceeds encoded length parameter!");
            }
            int next = text.IndexOf(',', at);
            string token = next < 0 ? text[at..] : text[at..next];
            if (!TryParseInstruction(token, out ClassicInstruction instruction))
            {
                throw new TcException($"Error at instruction {program.Count}!");
            }
            program.Add(instruction);
            at = next;
        }
        if (program.Count != length)
        {
            throw new TcException("Parsed program length is less than encoded length parameter!");
        }
        return program;
    }

    /// <summary>sscanf("%hu %hhu %hhu %u"): four numbers separated by white space.</summary>
    private static bool TryParseInstruction(string token, out ClassicInstruction instruction)
    {
        instruction = default;
        string[] parts = token.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4
            || !ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort code)
            || !byte.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out byte jt)
            || !byte.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out byte jf)
            || !uint.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint k))
        {
            return false;
        }
        instruction = new ClassicInstruction(code, jt, jf, k);
        return true;
    }

    /// <summary>bpf_parse_string() from a file: newlines become commas, runs of blanks one blank.</summary>
    private static string ReadBytecodeFile(string path)
    {
        var text = new StringBuilder();
        char previous = ' ';
        foreach (char c in File.ReadAllText(path))
        {
            switch (c)
            {
                case '\n':
                    if (previous != ',') text.Append(',');
                    previous = ',';
                    break;
                case ' ' or '\t':
                    if (previous != ' ') text.Append(c);
                    previous = ' ';
                    break;
                default:
                    text.Append(c);
                    previous = c;
                    break;
            }
        }
        return text.ToString();
    }
}
