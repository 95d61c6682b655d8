namespace Bpf.Native.Helpers;

/// <summary>What a helper leaves in r0 (Linux include/linux/bpf.h, enum bpf_return_type).</summary>
public enum HelperReturnKind
{
    /// <summary>A scalar (RET_INTEGER).</summary>
    Integer,
    /// <summary>Nothing meaningful (RET_VOID).</summary>
    Void,
    /// <summary>A pointer to a map value, or 0 (RET_PTR_TO_MAP_VALUE_OR_NULL).</summary>
    PointerToMapValueOrNull,
    /// <summary>A pointer to memory of a size known from the arguments, or 0 (RET_PTR_TO_MEM_OR_NULL).</summary>
    PointerToMemoryOrNull,
    /// <summary>A ring buffer record of the size given by the ConstAllocSizeOrZero argument, or 0; the program must
    /// submit or discard it before it exits (RET_PTR_TO_RINGBUF_MEM_OR_NULL, an acquired reference).</summary>
    PointerToRingBufferMemoryOrNull,
}
