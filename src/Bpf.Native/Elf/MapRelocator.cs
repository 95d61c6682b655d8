using Bpf.Native.Maps;

namespace Bpf.Native.Elf;

/// <summary>
/// Applies a program's map references once its maps exist, as the kernel's verifier does for ld_imm64
/// (kernel/bpf/verifier.c, resolve_pseudo_ldimm64): the 64-bit immediate becomes the map's address (its
/// <see cref="BpfMap.Handle"/>, what helpers receive as <c>struct bpf_map *</c>) or the address of the value byte
/// (global data). By default src becomes 0, a plain constant, which is what the engines run; with
/// <c>keepPseudoSource</c> it stays 1 (BPF_PSEUDO_MAP_FD) or 2 (BPF_PSEUDO_MAP_VALUE), the form the kernel shows in
/// its translated program, for a verifier that wants to see what each load is (the map is also named in
/// <see cref="ProgramSpec.MapReferences"/>).
/// </summary>
public static class MapRelocator
{
    private const byte PseudoMapFd = 1;
    private const byte PseudoMapValue = 2;

    /// <summary><see cref="Apply"/> as the bytes the decoder and <c>ProgramLoader</c> take.</summary>
    public static byte[] ApplyToBytes(ProgramSpec program, IReadOnlyDictionary<string, BpfMap> maps, bool keepPseudoSource = false)
    {
        ulong[] words = Apply(program, maps, keepPseudoSource);
        var bytes = new byte[words.Length * 8];
        for (int i = 0; i < words.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), words[i]);
        }
        return bytes;
    }

    /// <summary>The program's instruction words with every map reference resolved through <paramref name="maps"/>.</summary>
    public static ulong[] Apply(ProgramSpec program, IReadOnlyDictionary<string, BpfMap> maps, bool keepPseudoSource = false)
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
            if (!keepPseudoSource)
            {
                src = 0;
            }
            int at = reference.InstructionIndex;
            words[at] = (words[at] & 0xffffffffUL & ~0xf000UL) | ((ulong)src << 12) | ((address & 0xffffffffUL) << 32);
            words[at + 1] = (words[at + 1] & 0xffffffffUL) | (address & 0xffffffff00000000UL);
        }
        return words;
    }
}
