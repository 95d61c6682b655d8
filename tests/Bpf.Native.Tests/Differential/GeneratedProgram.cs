using Bpf.Native.Isa;

namespace Bpf.Native.Tests.Differential;

/// <summary>A random valid program with the memory and stack it starts from.</summary>
internal sealed record GeneratedProgram(Instruction[] Code, byte[] Memory, byte[] Stack)
{
    public byte[] Bytecode => Encoder.Encode(Code);

    public override string ToString() =>
        $"\n{Disassembler.Disassemble(Bytecode)}memory: {Convert.ToHexString(Memory)}\n";
}
