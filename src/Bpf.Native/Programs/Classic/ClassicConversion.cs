using Bpf.Native.Isa;

namespace Bpf.Native.Programs.Classic;

/// <summary>
/// A classic program converted to eBPF: the instructions and the context loads among them (at
/// <c>struct __sk_buff</c> offsets, for <see cref="ContextRewriter"/> to map onto the host's metadata).
/// </summary>
public sealed record ClassicConversion(IReadOnlyList<Instruction> Instructions, IReadOnlyList<ContextAccess> ContextAccesses);
