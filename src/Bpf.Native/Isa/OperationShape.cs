namespace Bpf.Native.Isa;

/// <summary>How an operation uses its operands; engines generate code per shape, the semantics table per operation.</summary>
public enum OperationShape : byte
{
    /// <summary>dst = f(dst, operand); operand is src or imm by <see cref="Instruction.Source"/>.</summary>
    Alu,
    /// <summary>if (f(dst, operand)) pc += offset.</summary>
    ConditionalJump,
    /// <summary>pc += offset.</summary>
    Jump,
    /// <summary>r0 = helper(r1..r5).</summary>
    Call,
    /// <summary>r0 = function(r1..r5) in a new frame.</summary>
    CallLocal,
    /// <summary>Kernel function call; represented, never run.</summary>
    CallKfunc,
    /// <summary>r0 = helper[reg](r1..r5).</summary>
    CallRegister,
    Exit,
    /// <summary>dst = imm64.</summary>
    LoadImm64,
    /// <summary>dst = *(src + off).</summary>
    Load,
    /// <summary>*(dst + off) = src or imm.</summary>
    Store,
    /// <summary>*(dst + off) op= src.</summary>
    Atomic,
    /// <summary>src = *(dst + off), *(dst + off) = f(old, src) (fetch variants and exchange).</summary>
    AtomicFetch,
    /// <summary>r0 = *(dst + off); if it was r0, *(dst + off) = src.</summary>
    AtomicCompareExchange,
    /// <summary>r0 = big-endian packet load at imm, or src + imm.</summary>
    PacketLoad,
}
