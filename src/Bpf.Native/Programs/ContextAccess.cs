namespace Bpf.Native.Programs;

/// <summary>
/// One load or store the verifier proved to go through the context pointer (the kernel's insn_aux_data ptr_type
/// PTR_TO_CTX): instruction <see cref="InstructionIndex"/> accesses <see cref="Size"/> bytes at context offset
/// <see cref="Offset"/>. The rewrite pass turns each into accesses of the host's real metadata.
/// </summary>
public readonly record struct ContextAccess(int InstructionIndex, int Offset, int Size, bool IsWrite);
