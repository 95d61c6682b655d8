namespace Bpf.Native.Isa;

/// <summary>The src_reg field of a CALL with an immediate (RFC 9669 section 4.3.1; linux/bpf.h BPF_PSEUDO_*CALL).</summary>
public enum CallKind : byte
{
    /// <summary>Helper function by static id.</summary>
    Helper = 0,
    /// <summary>Program-local function, imm is the displacement (BPF_PSEUDO_CALL).</summary>
    Local = 1,
    /// <summary>Kernel function by BTF id (BPF_PSEUDO_KFUNC_CALL).</summary>
    Kfunc = 2,
}
