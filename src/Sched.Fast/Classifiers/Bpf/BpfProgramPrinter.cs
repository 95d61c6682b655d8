using Bpf.Native.Programs;
using Bpf.Native.Programs.Classic;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// How tc prints a bpf program, the same for the bpf filter and the bpf action (lib/bpf_legacy.c bpf_print_ops(),
/// bpf_dump_prog_info()).
/// </summary>
public static class BpfProgramPrinter
{
    /// <summary>bpf_print_ops(): "bytecode 'N,c t f k,...'".</summary>
    public static void PrintOpcodes(TcWriter w, IReadOnlyList<ClassicInstruction> ops)
    {
        if (ops.Count == 0) return;
        w.OpenObject("bytecode");
        w.Uint(PrintTarget.Any, "length", "bytecode '%u,", (uint)ops.Count);
        w.OpenArray(PrintTarget.Json, "insns");
        for (int i = 0; i < ops.Count; i++)
        {
            w.OpenObject(null);
            w.Uint(PrintTarget.Any, "code", "%hu ", ops[i].Code);
            w.Uint(PrintTarget.Any, "jt", "%hhu ", ops[i].JumpTrue);
            w.Uint(PrintTarget.Any, "jf", "%hhu ", ops[i].JumpFalse);
            w.Uint(PrintTarget.Any, "k", i == ops.Count - 1 ? "%u'" : "%u,", ops[i].K);
            w.CloseObject();
        }
        w.CloseArray(PrintTarget.Json);
        w.CloseObject();
    }

    /// <summary>bpf_dump_prog_info(): "id N name NAME tag HEX jited" (load time and uid with -d).</summary>
    public static void PrintProgramInfo(TcWriter w, LoadedProgram program)
    {
        w.OpenObject("prog");
        w.Uint(PrintTarget.Any, "id", "id %u ", (uint)program.Id);
        w.String(PrintTarget.Any, "name", "name %s ", program.Name);
        w.String(PrintTarget.Any, "tag", "tag %s ", program.TagHex);
        w.Uint(PrintTarget.Json, "jited", null, program.Jited ? 1u : 0u);
        if (program.Jited && !w.IsJsonContext) w.Plain("jited ");
        if (w.Options.ShowDetails && program.LoadTimeNs != 0)
        {
            w.Uint(PrintTarget.Any, "load_time", "load_time %llu ", program.LoadTimeNs);
            w.Uint(PrintTarget.Any, "created_by_uid", "created_by_uid %lu ", program.CreatedByUid);
        }
        w.CloseObject();
    }
}
