using Bpf.Native.Execution;

namespace Bpf.Native.Jit;

/// <summary>The compiled entry function: r0 of one run over <paramref name="run"/>.</summary>
internal unsafe delegate ulong JitEntry(BpfRunContext* run);
