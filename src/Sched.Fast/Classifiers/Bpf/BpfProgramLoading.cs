using System.Text;
using Bpf.Native.Elf;
using Bpf.Native.Programs;
using Bpf.Native.Programs.Classic;
using Bpf.Native.Verifier;
using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// tc's load stage for eBPF objects (lib/bpf_legacy.c bpf_load_common() with lib/bpf_libbpf.c): read the object,
/// create or open its maps, verify and prepare the program, and name it "FILE:[SECTION]" as tc's TCA_BPF_NAME.
/// Failures print what tc and libbpf print.
/// </summary>
public static class BpfProgramLoading
{
    /// <summary>Loads the object program of <paramref name="request"/> as a program of <paramref name="type"/>.</summary>
    public static LoadedProgram LoadObject(BpfProgramRequest request, ProgramType type)
    {
        string file = request.Object ?? throw new ArgumentException("no object file", nameof(request));
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new TcException("Cannot initialize ELF context!");
        }
        var options = new TcLoadOptions
        {
            Context = PacketContextLayout.Instance,
            Engine = TcBpfSettings.Engine,
            Pins = TcBpfSettings.Pins,
            ProgramType = type,
        };
        try
        {
            return TcProgramLoader.LoadObject(bytes, request.Section ?? "", request.ProgramName, options);
        }
        catch (ElfFormatException)
        {
            throw new TcException("Cannot initialize ELF context!");
        }
        catch (ProgramLoadException e)
        {
            throw new TcException(e.Message);
        }
        catch (VerifierException e)
        {
            throw new TcException(RejectionText(request, e));
        }
    }

    /// <summary>
    /// A classic program (bytecode) as a program of <paramref name="type"/>: cls_bpf_prog_from_ops() and
    /// tcf_bpf_init_from_ops() call bpf_prog_create(), which refuses a bad classic program with EINVAL.
    /// </summary>
    public static LoadedProgram LoadClassic(IReadOnlyList<ClassicInstruction> opcodes, ProgramType type)
    {
        try
        {
            return TcProgramLoader.LoadClassic(opcodes, new TcLoadOptions
            {
                Context = PacketContextLayout.Instance,
                Engine = TcBpfSettings.Engine,
                ProgramType = type,
            });
        }
        catch (ClassicProgramException)
        {
            throw KernelError.Errno(Errno.EINVAL);
        }
    }

    /// <summary>tc's TCA_BPF_NAME annotation: "basename(FILE):[SECTION]".</summary>
    public static string Annotation(BpfProgramRequest request) =>
        $"{Path.GetFileName(request.Object)}:[{(request.Mode == BpfProgramMode.Pinned ? "*fsobj" : request.Section)}]";

    /// <summary>What libbpf prints when the verifier refuses a program of an object.</summary>
    private static string RejectionText(BpfProgramRequest request, VerifierException e)
    {
        string name = request.ProgramName ?? request.Section ?? "";
        var text = new StringBuilder();
        text.Append("libbpf: prog '").Append(name).Append("': BPF program load failed: Permission denied\n");
        text.Append("libbpf: prog '").Append(name).Append("': -- BEGIN PROG LOAD LOG --\n");
        text.Append((e.Log ?? e.Message).TrimEnd('\n')).Append('\n');
        text.Append("-- END PROG LOAD LOG --\n");
        text.Append("libbpf: prog '").Append(name).Append("': failed to load: -13\n");
        text.Append("libbpf: failed to load object '").Append(request.Object).Append('\'');
        return text.ToString();
    }
}
