namespace Sched.Fast.Classifiers.Bpf;

/// <summary>How tc was told where the program is (iproute2 lib/bpf_legacy.c enum bpf_mode).</summary>
public enum BpfProgramMode
{
    /// <summary>"bytecode 'N,c t f k,...'": classic BPF inline.</summary>
    Bytecode,
    /// <summary>"bytecode-file FILE": classic BPF in a file.</summary>
    BytecodeFile,
    /// <summary>"obj FILE [sec NAME]": an eBPF ELF object.</summary>
    Object,
    /// <summary>"pinned FILE": a pinned program (not available here).</summary>
    Pinned,
}
