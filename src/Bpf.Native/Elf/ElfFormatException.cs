namespace Bpf.Native.Elf;

/// <summary>
/// A BPF object file that cannot be used: malformed ELF, bad BTF, an unsupported relocation or map definition.
/// The only exception <see cref="ObjectSpec.Parse(ReadOnlyMemory{byte})"/> throws for bad input; the message names
/// the section, symbol or offset at fault.
/// </summary>
public sealed class ElfFormatException : Exception
{
    public ElfFormatException(string message)
        : base(message)
    {
    }
}
