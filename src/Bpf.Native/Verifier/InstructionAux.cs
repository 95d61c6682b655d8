namespace Bpf.Native.Verifier;

/// <summary>
/// What the verifier learned about one instruction, for the passes after it (the kernel's struct
/// bpf_insn_aux_data). For a load, store or atomic: the kind of pointer its base register held
/// (<see cref="PointerKind"/>; every path reaching the instruction agrees when it is the context, or the program is
/// rejected with "same insn cannot be used with different pointers"), and for context accesses the byte offset in
/// the context, the access size and, for narrow loads, the size of the whole field. The context rewrite
/// (convert_ctx_accesses) turns exactly the instructions with <see cref="IsContextAccess"/> into accesses to the real
/// packet metadata.
/// </summary>
public readonly record struct InstructionAux
{
    /// <summary>True when some path of the verifier reached the instruction (the kernel's aux->seen).</summary>
    public bool Reached { get; init; }

    /// <summary>
    /// For memory accesses: the kind of the base register (the first one seen when paths disagree and the kernel
    /// allows it, e.g. stack on one path and map value on another); <see cref="RegisterKind.NotInit"/> otherwise.
    /// </summary>
    public RegisterKind PointerKind { get; init; }

    /// <summary>Read or write, for memory accesses (atomics are writes).</summary>
    public ContextAccessKind AccessKind { get; init; }

    /// <summary>Bytes accessed.</summary>
    public int AccessSizeBytes { get; init; }

    /// <summary>For context accesses: the byte offset in the context structure (e.g. 8 for __sk_buff.mark).</summary>
    public int ContextOffsetBytes { get; init; }

    /// <summary>
    /// For narrow context loads (ctx_field_size): the size of the field to load whole before extracting the bytes
    /// asked for; 0 when the access is of the field's own size or the field allows any size (cb[]).
    /// </summary>
    public int ContextFieldSizeBytes { get; init; }

    public bool IsContextAccess => PointerKind == RegisterKind.Context;
}
