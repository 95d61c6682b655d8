namespace Bpf.Native.Isa;

/// <summary>The imm field of an atomic instruction (RFC 9669 section 5.3; linux/bpf.h BPF_FETCH, BPF_XCHG, BPF_CMPXCHG).</summary>
public enum AtomicCode : int
{
    Add = 0x00,
    Or = 0x40,
    And = 0x50,
    Xor = 0xa0,
    /// <summary>Flag: the old value is written back to src_reg.</summary>
    Fetch = 0x01,
    Exchange = 0xe0 | Fetch,
    CompareExchange = 0xf0 | Fetch,
}
