namespace Bpf.Native.Maps;

/// <summary>map_flags at creation (linux/bpf.h BPF_F_*), the ones this project looks at.</summary>
[Flags]
public enum BpfMapFlags : uint
{
    None = 0,
    NoPrealloc = 1u << 0,
    NoCommonLru = 1u << 1,
    NumaNode = 1u << 2,
    ReadOnly = 1u << 3,
    WriteOnly = 1u << 4,
    StackBuildId = 1u << 5,
    ZeroSeed = 1u << 6,
    ReadOnlyProgram = 1u << 7,
    WriteOnlyProgram = 1u << 8,
    Clone = 1u << 9,
    Mmapable = 1u << 10,
    PreserveElems = 1u << 11,
    InnerMap = 1u << 12,
}
