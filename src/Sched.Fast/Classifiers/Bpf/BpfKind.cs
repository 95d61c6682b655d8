using Bpf.Native.Programs;
using Sched.Fast.Actions;
using Sched.Fast.Classifiers.Matchall;
using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// The bpf classifier's two halves: tc/f_bpf.c (bpf_parse_opt(), bpf_print_opt(); the program options through
/// lib/bpf_legacy.c, eBPF objects loaded at parse time as tc loads them before sending the fd) and
/// net/sched/cls_bpf.c (<see cref="BpfClassifier"/>).
/// </summary>
public sealed class BpfKind : ClassifierKind
{
    /// <summary>ELF_SECTION_CLASSIFIER: tc's default section for filters.</summary>
    public const string DefaultSection = "classifier";

    public const string Usage =
        "Usage: ... bpf ...\n" +
        "\n" +
        "BPF use case:\n" +
        " bytecode BPF_BYTECODE\n" +
        " bytecode-file FILE\n" +
        "\n" +
        "eBPF use case:\n" +
        " object-file FILE [ section CLS_NAME ] [ export UDS_FILE ] [ verbose ] [ direct-action ] [ skip_hw | skip_sw ]\n" +
        " object-pinned FILE [ direct-action ] [ skip_hw | skip_sw ]\n" +
        "\n" +
        "Common remaining options:\n" +
        " [ action ACTION_SPEC ]\n" +
        " [ classid CLASSID ]\n" +
        "\n" +
        "Where BPF_BYTECODE := 's,c t f k,c t f k,c t f k,...'\n" +
        "c,t,f,k and s are decimals; s denotes number of 4-tuples\n" +
        "\n" +
        "Where FILE points to a file containing the BPF_BYTECODE string,\n" +
        "an ELF file containing eBPF map definitions and bytecode, or a\n" +
        "pinned eBPF program.\n" +
        "\n" +
        "Where CLS_NAME refers to the section name containing the\n" +
        "classifier (default 'classifier').\n" +
        "\n" +
        "Where UDS_FILE points to a unix domain socket file in order\n" +
        "to hand off control of all created eBPF maps to an agent.\n" +
        "\n" +
        "ACTION_SPEC := ... look at individual actions\n" +
        "NOTE: CLASSID is parsed as hexadecimal input.";

    public override string Name => "bpf";

    public override FilterRequest ParseOptions(string? handle, TcArgs args, DeviceTable devices)
    {
        uint h = 0;
        if (handle is not null && !CStrtol.TryParseU32(handle, 0, out h))
        {
            throw new TcException("Illegal \"handle\"");
        }
        if (!args.HasMore)
        {
            return new FilterRequest(h, null);
        }

        BpfProgramRequest? program = null;
        uint? classId = null;
        uint flags = 0;
        uint genFlags = 0;
        List<ActionItem>? actions = null;
        while (args.HasMore)
        {
            if (args.Matches("run"))
            {
                args.NextArg();
                if (program is not null) throw TcException.DuplicateArgument("run", args.Current);
                program = ParseProgram(args);
            }
            else if (args.Matches("classid") || args.Matches("flowid"))
            {
                string value = args.NextArg();
                if (!TcHandle.TryParseClassId(value, out uint c)) throw new TcException("Illegal \"classid\"");
                classId = c;
            }
            else if (args.Matches("direct-action") || args.Matches("da"))
            {
                flags |= BpfSpec.FlagDirectAction;
            }
            else if (args.Matches("skip_hw"))
            {
                genFlags |= ClassifierFlags.SkipHw;
            }
            else if (args.Matches("skip_sw"))
            {
                genFlags |= ClassifierFlags.SkipSw;
            }
            else if (args.Matches("action"))
            {
                args.NextArg();
                actions = MatchallKind.ParseActions(args, devices, actions);
                continue;
            }
            else if (args.Matches("police"))
            {
                args.NextArg();
                throw new TcException("Illegal \"police\"");
            }
            else if (args.Matches("help"))
            {
                throw new TcException(Usage);
            }
            else if (program is null)
            {
                program = ParseProgram(args);
            }
            else
            {
                throw new TcException($"What is \"{args.Current}\"?\n{Usage}");
            }
            args.Advance();
        }

        BpfSpec spec = new() { ClassId = classId, Actions = actions };
        if (program is { Mode: BpfProgramMode.Object })
        {
            LoadedProgram loaded;
            try
            {
                loaded = BpfProgramLoading.LoadObject(program, ProgramType.SchedCls);
            }
            catch (TcException e)
            {
                throw new TcException(Join(e.Message, "Unable to load program"));
            }
            spec = spec with { Program = loaded, Name = BpfProgramLoading.Annotation(program) };
        }
        else if (program is not null)
        {
            spec = spec with { Opcodes = program.Opcodes };
        }
        if (genFlags != 0) spec = spec with { GenFlags = genFlags };
        if (flags != 0) spec = spec with { Flags = flags };
        return new FilterRequest(h, spec);
    }

    /// <summary>bpf_parse_common(): a failure adds "Unable to parse bpf command line".</summary>
    private static BpfProgramRequest ParseProgram(TcArgs args)
    {
        try
        {
            return BpfProgramArgs.Parse(args, DefaultSection);
        }
        catch (TcException e) when (e.ExitCode != 255)
        {
            throw new TcException(Join(e.Message, "Unable to parse bpf command line"));
        }
    }

    internal static string Join(string first, string second) => first.Length == 0 ? second : first + "\n" + second;

    public override void PrintOptions(TcWriter w, FilterDump dump, FilterPrintContext context)
    {
        if (dump.Options is not BpfSpec b) return;
        if (dump.Handle != 0) w.ZeroXHex(PrintTarget.Any, "handle", "handle %#llx ", dump.Handle);
        if (b.ClassId is { } classId) w.String(PrintTarget.Any, "flowid", "flowid %s ", TcHandle.Format(classId));
        if (b.Name is { } name) w.String(PrintTarget.Any, "bpf_name", "%s ", name);
        if (b.DirectAction) w.Bool(PrintTarget.Any, "direct-action", "direct-action ", true);
        if (b.GenFlags is { } gen)
        {
            if ((gen & ClassifierFlags.SkipHw) != 0) w.Bool(PrintTarget.Any, "skip_hw", "skip_hw ", true);
            if ((gen & ClassifierFlags.SkipSw) != 0) w.Bool(PrintTarget.Any, "skip_sw", "skip_sw ", true);
            if ((gen & ClassifierFlags.InHw) != 0) w.Bool(PrintTarget.Any, "in_hw", "in_hw ", true);
            else if ((gen & ClassifierFlags.NotInHw) != 0) w.Bool(PrintTarget.Any, "not_in_hw", "not_in_hw ", true);
        }
        if (b.Opcodes is { } ops) BpfProgramPrinter.PrintOpcodes(w, ops);
        if (b.Program is { } program) BpfProgramPrinter.PrintProgramInfo(w, program);
        if (b.Actions is { } actions) ActionPrinter.PrintList(w, actions, 1, bind: true, context.Devices);
    }

    public override Classifier Create(uint prio, ushort protocol, FilterChain chain, FilterNamespace ns) =>
        new BpfClassifier(prio, protocol) { Namespace = ns };
}
