using Bpf.Native.Elf;
using Bpf.Native.Execution;
using Bpf.Native.Maps;
using Bpf.Native.Programs;
using Bpf.Native.Verifier;
using Sched.Fast.Classifiers.Bpf;

namespace Forwarder.Cli;

/// <summary>
/// Loads an object's program for the <c>forwarder bpf</c> commands as a SCHED_CLS program on the packet metadata,
/// the way tc would load it: the named section, else the first of tc's default sections. With a pin directory every
/// map of the object is pinned there (bpftool's "pinmaps"): maps that ask for tc pinning under tc/globals or
/// tc/OBJECT, the others by name.
/// </summary>
internal static class BpfObjectLoader
{
    /// <summary>The program, or null with the reason printed on <paramref name="stderr"/>.</summary>
    public static LoadedProgram? Load(string path, string? section, EngineKind engine, string? pinDirectory, TextWriter stderr,
        int verifierLogLevel = 0)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Error: failed to open object file {path}: {e.Message}");
            return null;
        }
        try
        {
            ObjectSpec spec = ObjectSpec.Parse(bytes);
            string? chosen = section ?? spec.FindDefaultTcProgram()?.SectionName;
            if (chosen is null)
            {
                stderr.WriteLine($"Error: {path} has no program in a tc section (classifier, classify, action, tc)");
                return null;
            }
            return TcProgramLoader.LoadObject(bytes, chosen, new TcLoadOptions
            {
                Context = PacketContextLayout.Instance,
                Engine = engine,
                Pins = pinDirectory is null ? null : new MapPinStore(pinDirectory),
                PinEveryMap = pinDirectory is not null,
                VerifierLogLevel = verifierLogLevel,
            });
        }
        catch (ElfFormatException e)
        {
            stderr.WriteLine($"Error: failed to open object file {path}: {e.Message}");
        }
        catch (ProgramLoadException e)
        {
            stderr.WriteLine($"Error: {e.Message}");
        }
        catch (VerifierException e)
        {
            // The kernel's log of the failing path, as bpftool prints it; the reason line alone when there is none.
            stderr.WriteLine((e.Log ?? e.Message).TrimEnd('\n'));
            stderr.WriteLine("Error: failed to load program: the verifier rejected it (Permission denied)");
        }
        return null;
    }
}
