using Bpf.Native.Maps;

namespace Bpf.Native.Elf;

/// <summary>
/// Applies a program's map references once its maps exist, as the kernel's verifier does for ld_imm64
/// (kernel/bpf/verifier.c, resolve_pseudo_ldimm64): the 64-bit immediate becomes the map's address (its
/// <see cref="BpfMap.Handle"/>, what helpers receive as <c>struct bpf_map *</c>) with src=1 (BPF_PSEUDO_MAP_FD),
/// or the address of the value byte with src=2 (BPF_PSEUDO_MAP_VALUE), so a verifier still sees what it loads.
/// </summary>
public static class MapRelocator
{
    private const byte PseudoMapFd = 1;
    private const byte PseudoMapValue = 2;

    /// <summary>The program's instruction words with every map reference resolved through <paramref name="maps"/>.</summary>
    public static ulong[] Apply(ProgramSpec program, IReadOnlyDictionary<string, BpfMap> maps)
    {
        ulong[] words = [.. program.Instructions];
        foreach (MapReference reference in program.MapReferences)
        {
            if (!maps.TryGetValue(reference.MapName, out BpfMap? map))
            {
                throw new InvalidOperationException($"program '{program.Name}' needs map '{reference.MapName}', which was not created");
            }
            ulong address;
            byte src;
            if (reference.Kind == MapReferenceKind.Map)
            {
                address = (ulong)map.Handle;
                src = PseudoMapFd;
            }
            else
            {
                address = map.DirectValueAddress(reference.Offset);
                src = PseudoMapValue;
            }
            int at = reference.InstructionIndex;
            words[at] = (words[at] & 0xffffffffUL & ~0xf000UL) | ((ulong)src << 12) | ((address & 0xffffffffUL) << 32);
            words[at + 1] = (words[at + 1] & 0xffffffffUL) | (address & 0xffffffff00000000UL);
        }
        return words;
    }
}
