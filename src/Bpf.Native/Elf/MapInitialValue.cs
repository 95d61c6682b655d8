namespace Bpf.Native.Elf;

/// <summary>
/// A slot filled at load time from a BTF map's <c>values</c> initialiser (libbpf <c>.values = { [2] = &amp;inner }</c>):
/// slot <see cref="Index"/> of a map-in-map holds map <see cref="TargetName"/>, or of a prog_array the program
/// <see cref="TargetName"/>.
/// </summary>
public sealed record MapInitialValue(uint Index, string TargetName);
