using Bpf.Native.Isa;
using static Bpf.Native.Tests.Support.Slots;

namespace Bpf.Native.Tests.Isa;

/// <summary>Canonical decoding: one operation per meaning, the kernel's reserved-field rules, lddw fused.</summary>
public sealed class DecoderTests
{
    private static Instruction DecodeOne(RawInstruction raw) => Decoder.Decode(Of(raw, Exit))[0];

    private static string DecodeError(params RawInstruction[] slots)
    {
        Assert.False(Decoder.TryDecode(Of(slots), out _, out _, out string? error));
        return error!;
    }

    [Fact]
    public void Lddw_is_fused_into_one_instruction_with_its_64_bit_value()
    {
        var program = Decoder.Decode(Of(Raw(0x18, dst: 3, imm: 0x55667788), Raw(0, imm: 0x11223344), Exit));

        Assert.Equal(2, program.Length);
        Assert.Equal(Instruction.LoadImmediate64(3, 0x1122334455667788), program[0]);
        Assert.Equal(2, program[0].Slots);
    }

    [Fact]
    public void Lddw_keeps_its_pseudo_source_for_the_loader()
    {
        var instruction = Decoder.Decode(Of(Raw(0x18, dst: 1, src: 2, imm: 7), Raw(0, imm: 16), Exit))[0];

        Assert.Equal(LoadImmediateKind.MapValue, instruction.ImmediateKind);
        Assert.Equal(7, (int)instruction.Immediate);
        Assert.Equal(16, (int)(instruction.Immediate >> 32));
    }

    [Theory]
    [InlineData(0x3f, 1, Operation.SDiv64)]
    [InlineData(0x3f, 0, Operation.Div64)]
    [InlineData(0x9c, 1, Operation.SMod32)]
    [InlineData(0xbf, 8, Operation.MovSx8To64)]
    [InlineData(0xbf, 16, Operation.MovSx16To64)]
    [InlineData(0xbf, 32, Operation.MovSx32To64)]
    [InlineData(0xbc, 8, Operation.MovSx8To32)]
    [InlineData(0xbc, 16, Operation.MovSx16To32)]
    public void Offset_selects_signed_division_and_sign_extending_moves(byte opcode, short offset, Operation expected)
    {
        var instruction = DecodeOne(Raw(opcode, dst: 1, src: 2, offset: offset));

        Assert.Equal(expected, instruction.Operation);
        Assert.Equal(0, instruction.Offset);
    }

    [Theory]
    [InlineData(0x91, Operation.LoadS8)]
    [InlineData(0x89, Operation.LoadS16)]
    [InlineData(0x81, Operation.LoadS32)]
    public void Memsx_mode_is_a_sign_extending_load(byte opcode, Operation expected) =>
        Assert.Equal(expected, DecodeOne(Raw(opcode, dst: 1, src: 2, offset: -4)).Operation);

    [Theory]
    [InlineData(0xd4, 16, Operation.ToLe16)]
    [InlineData(0xd4, 64, Operation.ToLe64)]
    [InlineData(0xdc, 32, Operation.ToBe32)]
    [InlineData(0xd7, 16, Operation.Swap16)]
    [InlineData(0xd7, 64, Operation.Swap64)]
    public void Byte_swaps_take_their_width_from_imm(byte opcode, int width, Operation expected)
    {
        var instruction = DecodeOne(Raw(opcode, dst: 4, imm: width));

        Assert.Equal(expected, instruction.Operation);
        Assert.Equal(0, instruction.Immediate);
    }

    [Fact]
    public void Ja32_moves_its_32_bit_displacement_into_offset()
    {
        var program = Decoder.Decode(Of(Raw(0x06, imm: 1), Exit, Exit));

        Assert.Equal(new Instruction(Operation.JaLong, Offset: 1), program[0]);
    }

    [Fact]
    public void Calls_are_told_apart_by_src()
    {
        Assert.Equal(Instruction.CallHelper(12), DecodeOne(Raw(0x85, imm: 12)));
        Assert.Equal(Instruction.CallLocalFunction(-3), DecodeOne(Raw(0x85, src: 1, imm: -3)));
        Assert.Equal(Operation.CallKfunc, DecodeOne(Raw(0x85, src: 2, imm: 99)).Operation);
        Assert.Equal(new Instruction(Operation.CallRegister, 2), DecodeOne(Raw(0x8d, dst: 2)));
    }

    [Fact]
    public void Immediates_are_sign_extended()
    {
        Assert.Equal(-1, DecodeOne(Raw(0xb7, dst: 1, imm: -1)).Immediate);
        Assert.Equal(-1, DecodeOne(Raw(0xb4, dst: 1, imm: -1)).Immediate);
    }

    [Fact]
    public void Atomics_take_their_operation_from_imm()
    {
        Assert.Equal(Operation.AtomicFetchXor32, DecodeOne(Raw(0xc3, dst: 10, src: 1, offset: -4, imm: 0xa1)).Operation);
        Assert.Equal(Operation.AtomicCompareExchange64, DecodeOne(Raw(0xdb, dst: 10, src: 1, offset: -8, imm: 0xf1)).Operation);
        Assert.Contains("invalid atomic opcode", DecodeError(Raw(0xdb, dst: 10, src: 1, imm: 0x02), Exit));
        Assert.Contains("invalid atomic operand size", DecodeError(Raw(0xd3, dst: 10, src: 1), Exit));
    }

    [Fact]
    public void Legacy_packet_loads_decode_with_their_offset_in_imm()
    {
        Assert.Equal(Instruction.PacketLoad(Operation.PacketLoad8, 15), DecodeOne(Raw(0x30, imm: 15)));
        Assert.Equal(Instruction.PacketLoadIndirect(Operation.PacketLoad32, 7, 2), DecodeOne(Raw(0x40, src: 7, imm: 2)));
        Assert.Contains("unknown opcode", DecodeError(Raw(0x38), Exit)); // LD_ABS | DW does not exist
    }

    [Theory]
    [InlineData(0x07, 1, 0, 0, "BPF_ALU uses reserved fields")]   // add imm with src set
    [InlineData(0x0f, 0, 0, 5, "BPF_ALU uses reserved fields")]   // add reg with imm set
    [InlineData(0x0f, 0, 4, 0, "BPF_ALU uses reserved fields")]   // add with an offset
    [InlineData(0x3f, 0, 2, 0, "BPF_ALU uses reserved fields")]   // div with offset 2
    [InlineData(0xbc, 0, 32, 0, "BPF_MOV uses reserved fields")]  // movsx32 has no 32-bit form
    [InlineData(0xb7, 0, 8, 0, "BPF_MOV uses reserved fields")]   // movsx needs a register
    [InlineData(0x87, 0, 0, 1, "BPF_NEG uses reserved fields")]
    [InlineData(0x8f, 0, 0, 0, "BPF_NEG uses reserved fields")]   // neg has no register form
    [InlineData(0xd4, 0, 0, 8, "BPF_END uses reserved fields")]   // no 8-bit swap
    [InlineData(0xdf, 0, 0, 16, "BPF_END uses reserved fields")]  // bswap has no big-endian form
    [InlineData(0x05, 0, 0, 1, "BPF_JA uses reserved fields")]
    [InlineData(0x06, 0, 1, 0, "BPF_JA uses reserved fields")]    // ja32 with an offset
    [InlineData(0x95, 0, 0, 1, "BPF_EXIT uses reserved fields")]
    [InlineData(0x86, 0, 0, 1, "BPF_CALL uses reserved fields")]  // call in JMP32
    [InlineData(0x1d, 0, 0, 1, "BPF_JMP/JMP32 uses reserved fields")]
    [InlineData(0x61, 0, 0, 1, "BPF_LDX uses reserved fields")]
    [InlineData(0x63, 0, 0, 1, "BPF_STX uses reserved fields")]
    [InlineData(0xe4, 0, 0, 0, "unknown opcode 0xe4")]
    [InlineData(0xe5, 0, 0, 0, "unknown opcode 0xe5")]
    [InlineData(0x8e, 0, 0, 0, "BPF_CALL uses reserved fields")]  // callx in JMP32
    [InlineData(0xf5, 0, 0, 0, "unknown opcode 0xf5")]
    [InlineData(0x00, 0, 0, 0, "unknown opcode 0x00")]
    public void Reserved_fields_and_unknown_opcodes_are_errors(byte opcode, byte src, short offset, int imm, string expected) =>
        Assert.Equal(expected, DecodeError(Raw(opcode, dst: 1, src: src, offset: offset, imm: imm), Exit));

    [Fact]
    public void Registers_above_r10_are_errors() =>
        Assert.Equal("R11 is invalid", DecodeError(Raw(0xb7, dst: 11), Exit));

    [Fact]
    public void Lddw_needs_a_clean_second_slot()
    {
        Assert.Equal("invalid bpf_ld_imm64 insn", DecodeError(Raw(0x18, dst: 1)));
        Assert.Equal("invalid bpf_ld_imm64 insn", DecodeError(Raw(0x18, dst: 1), Raw(0x95)));
        Assert.Equal("invalid bpf_ld_imm64 insn", DecodeError(Raw(0x18, dst: 1, src: 7), Raw(0)));
    }

    [Fact]
    public void The_failing_slot_is_reported()
    {
        Assert.False(Decoder.TryDecode(Of(Raw(0xb7), Raw(0x18), Raw(0), Raw(0xff)), out _, out int slot, out _));

        Assert.Equal(3, slot);
        var exception = Assert.Throws<InstructionFormatException>(() => Decoder.Decode(Of(Raw(0xb7), Raw(0xff))));
        Assert.Equal(1, exception.Slot);
        Assert.StartsWith("instruction 1: unknown opcode", exception.Message);
    }

    [Fact]
    public void Truncated_and_empty_programs_are_errors()
    {
        Assert.False(Decoder.TryDecode(new byte[12], out _, out _, out string? truncated));
        Assert.Contains("not a multiple of 8", truncated);
        Assert.False(Decoder.TryDecode([], out _, out _, out string? empty));
        Assert.Equal("program is empty", empty);
    }
}
