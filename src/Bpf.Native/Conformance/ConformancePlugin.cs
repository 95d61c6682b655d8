using System.Globalization;
using System.Text;
using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Loader;
using Bpf.Native.Verifier;

namespace Bpf.Native.Conformance;

/// <summary>
/// The bpf_conformance suite's plugin contract, for <c>forwarder bpf conformance-plugin [MEM] [--engine jit|interpreter]</c>.
/// The suite's runner starts the plugin with the memory as the first argument (every byte as two hex digits and two
/// spaces; an empty string when there is none) and its plugin options as the second argument (one string, possibly
/// empty or holding several words), and writes the program to standard input in the same encoding, ended by a
/// newline. The plugin runs the program with r1 = a writable copy of the memory (0 when there is none), r2 = its
/// length and r10 = the top of a 512-byte stack, prints r0 in hex and exits 0. Helper 5 returns its first argument,
/// as the suite's call_unwind_fail and callx tests expect. A program that does not load prints the reason on
/// standard output (where the runner compares it with a test's "-- error") and exits 1; bad arguments exit 2.
/// </summary>
public static unsafe class ConformancePlugin
{
    public const int ExitSuccess = 0;
    public const int ExitProgramError = 1;
    public const int ExitUsageError = 2;

    public const string Usage = "usage: conformance-plugin [MEM] [--engine jit|interpreter] < PROGRAM";

    /// <summary>The helpers the suite's tests call.</summary>
    public static HelperTable SuiteHelpers() => new HelperTable().Register(
        5, "conformance_identity",
        new HelperPrototype(HelperReturnKind.Integer, HelperArgumentKind.Anything),
        typeof(ConformancePlugin).GetMethod(nameof(Identity))!);

    /// <summary>Helper 5 of the suite: returns r1.</summary>
    public static ulong Identity(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => r1;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!TryParseArguments(args, out byte[] memory, out var engine, out string? usageError))
        {
            stderr.WriteLine(usageError);
            stderr.WriteLine(Usage);
            return ExitUsageError;
        }

        byte[] bytecode;
        try
        {
            bytecode = ParseHex(stdin.ReadToEnd());
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"program on standard input: {e.Message}");
            return ExitUsageError;
        }

        BpfProgram program;
        try
        {
            program = ProgramLoader.Load(bytecode, new LoadOptions { Engine = engine, Helpers = SuiteHelpers() });
        }
        catch (Exception e) when (e is InstructionFormatException or VerifierException)
        {
            stdout.WriteLine(e.Message);
            return ExitProgramError;
        }

        ulong r0 = program.Run(memory);
        stdout.WriteLine(r0.ToString("x", CultureInfo.InvariantCulture));
        return ExitSuccess;
    }

    /// <summary>Encodes bytes the way the suite's runner does: two lowercase hex digits and two spaces each.</summary>
    public static string EncodeHex(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 4);
        foreach (byte b in bytes)
        {
            text.Append(b.ToString("x2", CultureInfo.InvariantCulture)).Append("  ");
        }
        return text.ToString();
    }

    private static bool TryParseArguments(string[] args, out byte[] memory, out EngineKind engine, out string? error)
    {
        memory = [];
        engine = EngineKind.Jit;
        error = null;
        int next = 0;
        // MEM comes first and never starts with "--"; the runner passes "" when a test has no memory.
        if (args.Length > 0 && !args[0].TrimStart().StartsWith("--", StringComparison.Ordinal))
        {
            try
            {
                memory = ParseHex(args[0]);
            }
            catch (FormatException e)
            {
                error = $"memory argument: {e.Message}";
                return false;
            }
            next = 1;
        }

        // The runner passes its plugin options as one argument; a shell passes them as several. Accept both.
        var words = args.Skip(next).SelectMany(a => a.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)).ToArray();
        for (int i = 0; i < words.Length; i++)
        {
            string word = words[i];
            string? value = null;
            if (word.StartsWith("--engine=", StringComparison.Ordinal))
            {
                value = word["--engine=".Length..];
            }
            else if (word == "--engine" && i + 1 < words.Length)
            {
                value = words[++i];
            }
            else
            {
                error = $"unknown option '{word}'";
                return false;
            }
            switch (value)
            {
                case "jit":
                    engine = EngineKind.Jit;
                    break;
                case "interpreter":
                    engine = EngineKind.Interpreter;
                    break;
                default:
                    error = $"unknown engine '{value}' (jit or interpreter)";
                    return false;
            }
        }
        return true;
    }

    private static byte[] ParseHex(string text)
    {
        var bytes = new List<byte>();
        foreach (string word in text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length != 2 || !byte.TryParse(word, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value))
            {
                throw new FormatException($"'{word}' is not a hex byte");
            }
            bytes.Add(value);
        }
        return bytes.ToArray();
    }
}
