namespace Bpf.Native.Verifier;

/// <summary>
/// What a valid context access yields (the kernel's struct bpf_insn_access_aux): the kind of value a load puts in
/// its register (a scalar, or a packet pointer for data / data_end / data_meta), whether that pointer may be null,
/// and for fields that allow narrow loads the size of the whole field (ctx_field_size; 0 when the access must be the
/// field's own size), which the context rewrite needs to load the field and extract the bytes asked for.
/// </summary>
public readonly record struct ContextAccessResult(RegisterKind Kind, bool MaybeNull, int FieldSizeBytes)
{
    public static ContextAccessResult Scalar(int fieldSizeBytes = 0) => new(RegisterKind.Scalar, false, fieldSizeBytes);
}
