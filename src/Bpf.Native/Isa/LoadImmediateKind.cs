namespace Bpf.Native.Isa;

/// <summary>
/// The src_reg field of a 64-bit immediate load (lddw): what the immediate means (linux/bpf.h BPF_PSEUDO_*,
/// RFC 9669 section 5.4). Only <see cref="Value"/> can run; the loader resolves the others to addresses.
/// </summary>
public enum LoadImmediateKind : byte
{
    /// <summary>dst = imm64.</summary>
    Value = 0,
    /// <summary>dst = map_by_fd(imm) (BPF_PSEUDO_MAP_FD).</summary>
    MapFd = 1,
    /// <summary>dst = map_val(map_by_fd(imm)) + next_imm (BPF_PSEUDO_MAP_VALUE).</summary>
    MapValue = 2,
    /// <summary>dst = var_addr(imm) (BPF_PSEUDO_BTF_ID).</summary>
    BtfId = 3,
    /// <summary>dst = code_addr(imm) (BPF_PSEUDO_FUNC).</summary>
    Function = 4,
    /// <summary>dst = map_by_idx(imm) (BPF_PSEUDO_MAP_IDX).</summary>
    MapIndex = 5,
    /// <summary>dst = map_val(map_by_idx(imm)) + next_imm (BPF_PSEUDO_MAP_IDX_VALUE).</summary>
    MapIndexValue = 6,
}
