namespace Bpf.Native.Elf;

/// <summary>
/// A map relocation still to apply: the ld_imm64 at <see cref="InstructionIndex"/> (its first slot) loads map
/// <see cref="MapName"/>, or for <see cref="MapReferenceKind.Value"/> the address <see cref="Offset"/> bytes into
/// its value. <see cref="MapRelocator"/> applies it once the map exists.
/// </summary>
public sealed record MapReference(int InstructionIndex, string MapName, MapReferenceKind Kind, uint Offset);
