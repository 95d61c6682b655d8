namespace Bpf.Native.Btf;

/// <summary>
/// One entry of a type's member list: a struct/union member (<see cref="Offset"/> in bits, or in a bitfield struct
/// bits | size &lt;&lt; 24), an enum value (<see cref="Value"/>), a function parameter, or a data section variable
/// (<see cref="Offset"/> and <see cref="Size"/> in bytes).
/// </summary>
public readonly record struct BtfMember(string Name, int Type, uint Offset, uint Size, long Value);
