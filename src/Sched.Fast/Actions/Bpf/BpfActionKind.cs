using Bpf.Native.Programs;
using Sched.Fast.Classifiers;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Actions.Bpf;

/// <summary>
/// The bpf action's two halves: tc/m_bpf.c (the program options, then an optional verdict, default pipe, and
/// "index N"; eBPF objects load at parse time) and net/sched/act_bpf.c tcf_bpf_init() (create, bind by index,
/// replace the program).
/// </summary>
public sealed class BpfActionKind : ActionKind
{
    /// <summary>ELF_SECTION_ACTION: tc's default section for actions.</summary>
    public const string DefaultSection = "action";

    public const string Usage =
        "Usage: ... bpf ... [ index INDEX ]\n" +
        "\n" +
        "BPF use case:\n" +
        " bytecode BPF_BYTECODE\n" +
        " bytecode-file FILE\n" +
        "\n" +
        "eBPF use case:\n" +
        " object-file FILE [ section ACT_NAME ] [ export UDS_FILE ] [ verbose ]\n" +
        " object-pinned FILE\n" +
        "\n" +
        "Where BPF_BYTECODE := 's,c t f k,c t f k,c t f k,...'\n" +
        "c,t,f,k and s are decimals; s denotes number of 4-tuples\n" +
        "\n" +
        "Where FILE points to a file containing the BPF_BYTECODE string,\n" +
        "an ELF file containing eBPF map definitions and bytecode, or a\n" +
        "pinned eBPF program.\n" +
        "\n" +
        "Where ACT_NAME refers to the section name containing the\n" +
        "action (default 'action').\n" +
        "\n" +
        "Where UDS_FILE points to a unix domain socket file in order\n" +
        "to hand off control of all created eBPF maps to an agent.\n" +
        "\n" +
        "Where optionally INDEX points to an existing action, or\n" +
        "explicitly specifies an action index upon creation.\n";

    public override string Name => "bpf";

    public override ActionSpec Parse(TcArgs args, DeviceTable devices)
    {
        if (!args.Matches("bpf")) throw new TcException("");
        args.NextArg();
        BpfProgramRequest? program = null;
        while (args.HasMore)
        {
            if (args.Matches("run"))
            {
                args.NextArg();
                if (program is not null) throw TcException.DuplicateArgument("run", args.Current);
                program = BpfProgramArgs.Parse(args, DefaultSection);
            }
            else if (args.Matches("help"))
            {
                throw new TcException(Usage);
            }
            else if (args.Matches("index"))
            {
                break;
            }
            else if (program is null)
            {
                program = BpfProgramArgs.Parse(args, DefaultSection);
            }
            else
            {
                break;
            }
            args.Advance();
        }

        // parse_action_control_dflt(..., TC_ACT_PIPE).
        int control = TcAct.Pipe;
        if (args.HasMore && ActionControl.TryParse(args, out int parsed, quiet: true)) control = parsed;
        uint index = 0;
        if (args.HasMore && args.Matches("index"))
        {
            string value = args.NextArg();
            if (!CStrtol.TryParseU32(value, 10, out index)) throw new TcException("bpf: Illegal \"index\"");
            args.Advance();
        }

        var spec = new BpfActionSpec { Control = control, Index = index };
        if (program is null) return spec;
        if (program.Mode == BpfProgramMode.Object)
        {
            LoadedProgram loaded = BpfProgramLoading.LoadObject(program, ProgramType.SchedAct);
            return spec with { Program = loaded, Name = BpfProgramLoading.Annotation(program) };
        }
        return spec with { Opcodes = program.Opcodes };
    }

    public override void Print(TcWriter w, ActionSpec spec, DeviceTable devices)
    {
        var b = (BpfActionSpec)spec;
        w.String(PrintTarget.Any, "kind", "%s ", "bpf");
        if (b.Name is { } name) w.String(PrintTarget.Any, "bpf_name", "%s ", name);
        if (b.Opcodes is { } ops)
        {
            BpfProgramPrinter.PrintOpcodes(w, ops);
            w.String(PrintTarget.Plain, null, "%s", " ");
        }
        if (b.Program is { } program) BpfProgramPrinter.PrintProgramInfo(w, program);
        ActionControl.Print(w, "default-action ", b.Control, w.LineSeparator);
        w.Uint(PrintTarget.Any, "index", "\t index %u", b.Index);
        w.Int(PrintTarget.Any, "ref", " ref %d", b.RefCount);
        w.Int(PrintTarget.Any, "bind", " bind %d", b.BindCount);
        if (w.Options.ShowStats > 0 && b.Tm is { } tm) ActionPrinter.PrintTm(w, tm);
        w.Plain("\n ");
    }

    public override ActionInitResult Init(ActionSpec? spec, ActionInitContext context)
    {
        if (spec is not BpfActionSpec b) throw KernelError.Errno(Errno.EINVAL);
        uint index = b.Index;
        TcAction? existing = context.CheckAlloc(ref index);
        BpfAction action;
        bool created = existing is null;
        if (existing is not null)
        {
            if (context.Bind) return new ActionInitResult(existing, false); // "Don't override defaults."
            if (!context.Replace)
            {
                context.Release(existing);
                throw KernelError.Errno(Errno.EEXIST);
            }
            action = (BpfAction)existing;
        }
        else
        {
            action = context.Created(new BpfAction(index, context.Namespace.Devices));
        }

        FilterChain? gotoChain;
        LoadedProgram program;
        try
        {
            gotoChain = context.CheckControl(b.Control);
            if ((b.Opcodes is null) == (b.Program is null))
            {
                ActionInitContext.PutChain(gotoChain);
                throw KernelError.Errno(Errno.EINVAL);
            }
            try
            {
                program = b.Program ?? BpfProgramLoading.LoadClassic(b.Opcodes!, ProgramType.SchedAct);
            }
            catch (TcException)
            {
                ActionInitContext.PutChain(gotoChain);
                throw;
            }
        }
        catch (TcException)
        {
            context.Release(action);
            throw;
        }
        ActionInitContext.PutChain(action.SetControl(b.Control, gotoChain));
        action.SetProgram(program, b.Opcodes, b.Name);
        return new ActionInitResult(action, created);
    }
}
