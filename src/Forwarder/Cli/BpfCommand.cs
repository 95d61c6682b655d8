using System.CommandLine;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder bpf</c>: eBPF objects and pinned maps, mirroring bpftool: <c>run</c> (bpftool prog run),
/// <c>prog dump</c>, <c>verify</c>, <c>map dump|lookup|update|delete</c>, and <c>conformance-plugin</c> for the
/// bpf_conformance suite.
/// </summary>
internal static class BpfCommand
{
    public static Command Build()
    {
        var bpf = new Command("bpf", "load, verify, disassemble and run eBPF objects; read and change pinned maps (like bpftool)");
        bpf.Add(BpfRunCommand.Build());
        bpf.Add(BpfProgCommands.BuildProg());
        bpf.Add(BpfProgCommands.BuildVerify());
        bpf.Add(BpfMapCommands.Build());
        bpf.Add(BpfConformanceCommand.Build());
        return bpf;
    }
}
