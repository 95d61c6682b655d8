using System.CommandLine;
using System.Globalization;
using Bpf.Native.Elf;
using Bpf.Native.Helpers.Tc;
using Bpf.Native.Isa;
using Bpf.Native.Programs;
using Bpf.Native.Verifier;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder bpf prog dump OBJ</c> (the program's instructions, numbered, in LLVM's syntax; with --translated the
/// instructions as they run, context accesses rewritten) and <c>forwarder bpf verify OBJ</c> (verifies as tc loads:
/// success says so on stdout; a rejection prints the verifier's message on stderr and exits 1).
/// </summary>
internal static class BpfProgCommands
{
    public static Command BuildProg()
    {
        var prog = new Command("prog", "programs of an object");
        var obj = BpfObjectOptions.Object();
        var section = BpfObjectOptions.Section();
        var translated = new Option<bool>("--translated") { Description = "after the context rewrite (what the engines run)" };
        var dump = new Command("dump", "disassemble a program of an object") { obj, section, translated };
        dump.SetAction(r => Dump(r.GetValue(obj)!, r.GetValue(section), r.GetValue(translated), Console.Out, Console.Error));
        prog.Add(dump);
        return prog;
    }

    public static Command BuildVerify()
    {
        var obj = BpfObjectOptions.Object();
        var section = BpfObjectOptions.Section();
        var logLevel = new Option<int>("--log-level")
        {
            Description = "the verifier's log level as the kernel's: 1 the statistics (and the failing path when rejected), 2 every path",
            HelpName = "1|2",
            DefaultValueFactory = _ => 1,
        };
        logLevel.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is not (1 or 2)) r.AddError("--log-level must be 1 or 2");
        });
        var verify = new Command("verify", "verify a program as tc would load it (SCHED_CLS) and print the verifier's log; " +
            "a rejected program exits 1 with the log on stderr")
        {
            obj, section, logLevel,
        };
        verify.SetAction(r => Verify(r.GetValue(obj)!, r.GetValue(section), Console.Out, Console.Error, r.GetValue(logLevel)));
        return verify;
    }

    public static int Dump(string path, string? section, bool translated, TextWriter stdout, TextWriter stderr)
    {
        if (translated)
        {
            using LoadedProgram? program = BpfObjectLoader.Load(path, section, Bpf.Native.Execution.EngineKind.Interpreter, null, stderr);
            if (program is null) return 1;
            Print(program.Translated, stdout);
            return 0;
        }
        ObjectSpec spec;
        try
        {
            spec = ObjectSpec.Load(path);
        }
        catch (Exception e) when (e is ElfFormatException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Error: failed to open object file {path}: {e.Message}");
            return 1;
        }
        ProgramSpec? found = section is not null ? spec.FindProgramBySection(section) : spec.FindDefaultTcProgram();
        if (found is null)
        {
            stderr.WriteLine($"Error: no program in section {section ?? "classifier, classify, action or tc"}");
            return 1;
        }
        Instruction[] instructions;
        try
        {
            instructions = Decoder.Decode(found.InstructionBytes());
        }
        catch (InstructionFormatException e)
        {
            stderr.WriteLine($"Error: {e.Message}");
            return 1;
        }
        stdout.WriteLine($"{found.Name}: section {found.SectionName}, {instructions.Length} instructions");
        Print(instructions, stdout);
        return 0;
    }

    private static void Print(IReadOnlyList<Instruction> instructions, TextWriter stdout)
    {
        int slot = 0;
        foreach (Instruction instruction in instructions)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{slot,4}: {Disassembler.Format(instruction)}"));
            slot += instruction.Slots;
        }
    }

    public static int Verify(string path, string? section, TextWriter stdout, TextWriter stderr, int logLevel = 1)
    {
        using LoadedProgram? program = BpfObjectLoader.Load(path, section, Bpf.Native.Execution.EngineKind.Interpreter, null, stderr,
            logLevel);
        if (program is null) return 1;
        if (!string.IsNullOrEmpty(program.VerifierLog)) stdout.Write(program.VerifierLog.EndsWith('\n') ? program.VerifierLog : program.VerifierLog + "\n");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{program.Name}: verified, {program.Original.Count} instructions ({program.Translated.Count} after the context rewrite), tag {program.TagHex}"));
        return 0;
    }
}
