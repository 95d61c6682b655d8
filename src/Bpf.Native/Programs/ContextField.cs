namespace Bpf.Native.Programs;

/// <summary>
/// One context field as the program sees it (<see cref="Offset"/>, <see cref="Size"/>: its uapi place) and where
/// the host keeps it. <see cref="NarrowReads"/> marks fields whose reads may be narrower than the field (the kernel
/// records ctx_field_size for them and converts a narrow read into a full one, shifted and masked);
/// <see cref="ResultBytes"/> is how many bytes the converted full read really yields (the kernel's target_size),
/// which decides whether a narrow read needs the mask. <see cref="StoreBelow"/>, when not zero, makes a store
/// happen only for values below it (queue_mapping ignores NO_QUEUE_MAPPING).
/// </summary>
public sealed record ContextField(
    string Name,
    int Offset,
    int Size,
    ContextFieldStorage Storage,
    int HostOffset = 0,
    int HostBytes = 0,
    bool Writable = false,
    bool NarrowReads = false,
    int ResultBytes = 0,
    long ConstantValue = 0,
    uint StoreBelow = 0)
{
    public int End => Offset + Size;

    /// <summary>The bytes a full read of the field yields: <see cref="ResultBytes"/> or, unset, what storage gives.</summary>
    public int TargetBytes => ResultBytes != 0 ? ResultBytes : Storage switch
    {
        ContextFieldStorage.Direct => HostBytes,
        ContextFieldStorage.BigEndian16 => 2,
        ContextFieldStorage.Pointer => 8,
        _ => Size,
    };
}
