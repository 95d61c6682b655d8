namespace Bpf.Native.Elf;

/// <summary>
/// A program as the object defines it, pure data compared by value. <see cref="Instructions"/> are the raw
/// little-endian 8-byte instruction words with bpf-to-bpf calls already linked (called functions appended after the
/// entry, as libbpf lays them out, call and BPF_PSEUDO_FUNC offsets fixed). Map loads are left in the kernel's
/// by-index form: ld_imm64 src=5 (BPF_PSEUDO_MAP_IDX) imm=index in <see cref="ObjectSpec.Maps"/>, or src=6
/// (BPF_PSEUDO_MAP_IDX_VALUE) with the value offset in the second slot's imm; <see cref="MapReferences"/> names
/// them, and <see cref="MapRelocator"/> turns them into map addresses.
/// </summary>
public sealed record ProgramSpec
{
    public required string Name { get; init; }

    /// <summary>The ELF section the entry function lives in (tc selects programs by it: "classifier", "action"...).</summary>
    public required string SectionName { get; init; }

    public required EquatableArray<ulong> Instructions { get; init; }

    public required string License { get; init; }

    public EquatableArray<MapReference> MapReferences { get; init; } = EquatableArray<MapReference>.Empty;

    /// <summary>The entry function first, then each appended subprogram.</summary>
    public EquatableArray<ProgramFunction> Functions { get; init; } = EquatableArray<ProgramFunction>.Empty;

    /// <summary>The instructions as bytes, the form the decoder reads.</summary>
    public byte[] InstructionBytes()
    {
        var bytes = new byte[Instructions.Count * 8];
        for (int i = 0; i < Instructions.Count; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), Instructions[i]);
        }
        return bytes;
    }
}
