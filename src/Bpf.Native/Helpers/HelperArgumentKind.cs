namespace Bpf.Native.Helpers;

/// <summary>
/// What a helper expects in one argument register, for the verifier to check (Linux include/linux/bpf.h,
/// enum bpf_arg_type; the ARG_ names in the comments).
/// </summary>
public enum HelperArgumentKind
{
    /// <summary>Unused argument (ARG_DONTCARE).</summary>
    None,
    /// <summary>Any initialized value (ARG_ANYTHING).</summary>
    Anything,
    /// <summary>The program's context pointer (ARG_PTR_TO_CTX).</summary>
    PointerToContext,
    /// <summary>A map reference from lddw (ARG_CONST_MAP_PTR).</summary>
    ConstMapPointer,
    /// <summary>Readable memory of the map's key size (ARG_PTR_TO_MAP_KEY).</summary>
    PointerToMapKey,
    /// <summary>Readable memory of the map's value size (ARG_PTR_TO_MAP_VALUE).</summary>
    PointerToMapValue,
    /// <summary>Initialized readable memory, sized by the next argument (ARG_PTR_TO_MEM | MEM_RDONLY).</summary>
    PointerToReadableMemory,
    /// <summary>Writable memory the helper fills, sized by the next argument (ARG_PTR_TO_MEM | MEM_UNINIT).</summary>
    PointerToWritableMemory,
    /// <summary>A size known at verification time, greater than zero (ARG_CONST_SIZE).</summary>
    ConstSize,
    /// <summary>A size known at verification time, possibly zero (ARG_CONST_SIZE_OR_ZERO).</summary>
    ConstSizeOrZero,
    /// <summary>A pointer into the program's stack (ARG_PTR_TO_STACK).</summary>
    PointerToStack,
    /// <summary>A pointer to a NUL-terminated string in a read-only map (ARG_PTR_TO_CONST_STR).</summary>
    PointerToConstString,
    /// <summary>Like <see cref="PointerToReadableMemory"/>, or NULL with a size of 0 (ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RDONLY; csum_diff).</summary>
    PointerToReadableMemoryOrNull,
    /// <summary>Writable memory of the map's value size the helper fills (ARG_PTR_TO_MAP_VALUE | MEM_UNINIT; map_pop_elem, map_peek_elem).</summary>
    PointerToUninitializedMapValue,
    /// <summary>A ring buffer record from bpf_ringbuf_reserve, released by the call (ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE).</summary>
    PointerToRingBufferMemory,
    /// <summary>A size known at verification time, possibly zero, that sizes the returned memory (ARG_CONST_ALLOC_SIZE_OR_ZERO).</summary>
    ConstAllocSizeOrZero,
}
