using Bpf.Native.Elf;

namespace Bpf.Native.Btf;

/// <summary>
/// One BTF type (struct btf_type plus its kind-specific tail), as parsed: <see cref="SizeOrType"/> is the byte size
/// for int, enum, struct, union, datasec and float, and the referenced type id for the others.
/// </summary>
public sealed record BtfType(
    int Id,
    BtfKind Kind,
    string Name,
    bool KindFlag,
    uint SizeOrType,
    EquatableArray<BtfMember> Members,
    int ArrayElementType = 0,
    int ArrayIndexType = 0,
    uint ArrayLength = 0,
    uint Extra = 0)
{
    /// <summary>The referenced type of a pointer, typedef, modifier, var, func or tag.</summary>
    public int ReferencedType => (int)SizeOrType;

    /// <summary>An int's encoding word (BTF_INT_ENCODING/OFFSET/BITS) or a var's linkage or a decl tag's index.</summary>
    public uint IntBits => Extra & 0xff;
}
