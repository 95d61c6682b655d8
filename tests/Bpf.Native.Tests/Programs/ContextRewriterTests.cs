using Bpf.Native.Isa;
using Bpf.Native.Programs;
using Bpf.Native.Verifier;
using static Bpf.Native.Programs.ContextFieldStorage;

namespace Bpf.Native.Tests.Programs;

/// <summary>
/// The context rewrite against a small host layout: each storage kind, narrow reads (shift and mask as
/// convert_ctx_accesses emits them, and the kernel's quirk of not masking when the converted read is no wider),
/// guarded stores, byte areas, and refusals.
/// </summary>
public sealed class ContextRewriterTests
{
    // uapi: len 0, protocol 16, queue_mapping 12, cb 48..67, data 76, napi_id 84, tstamp 152.
    private static readonly ContextLayout s_layout = new("test", 192,
    [
        new("len", 0, 4, Direct, HostOffset: 112, HostBytes: 4, NarrowReads: true),
        new("queue_mapping", 12, 4, Direct, HostOffset: 18, HostBytes: 2, Writable: true, NarrowReads: true, StoreBelow: 0xffff),
        new("protocol", 16, 4, BigEndian16, HostOffset: 20, HostBytes: 2, NarrowReads: true),
        new("cb", 48, 20, Bytes, HostOffset: 40, HostBytes: 20, Writable: true),
        new("data", 76, 4, Pointer, HostOffset: 96),
        new("napi_id", 84, 4, Constant, NarrowReads: true, ResultBytes: 4),
        new("tstamp", 152, 8, Direct, HostOffset: 80, HostBytes: 8, Writable: true),
    ]);

    private static Instruction[] Convert(Instruction instruction, bool write = false) =>
        ContextRewriter.Convert(instruction, new ContextAccess(0, instruction.Offset, instruction.Info.AccessBytes, write), s_layout);

    [Fact]
    public void A_direct_field_is_read_at_the_host_offset_with_the_host_width()
    {
        Assert.Equal([Instruction.Load(Operation.LoadU32, 2, 1, 112)], Convert(Instruction.Load(Operation.LoadU32, 2, 1, 0)));
        Assert.Equal([Instruction.Load(Operation.LoadU16, 2, 1, 18)], Convert(Instruction.Load(Operation.LoadU32, 2, 1, 12)));
    }

    [Fact]
    public void A_big_endian_field_is_loaded_and_swapped()
    {
        Assert.Equal([Instruction.Load(Operation.LoadU16, 3, 3, 20), new Instruction(Operation.ToBe16, 3)],
            Convert(Instruction.Load(Operation.LoadU32, 3, 3, 16)));
    }

    [Fact]
    public void A_pointer_field_becomes_an_8_byte_load()
    {
        Assert.Equal([Instruction.Load(Operation.LoadU64, 4, 1, 96)], Convert(Instruction.Load(Operation.LoadU32, 4, 1, 76)));
    }

    [Fact]
    public void A_field_without_storage_reads_as_its_constant()
    {
        Assert.Equal([Instruction.Alu(Operation.Mov64, 0, 0)], Convert(Instruction.Load(Operation.LoadU32, 0, 1, 84)));
    }

    [Fact]
    public void Narrow_reads_load_the_whole_field_then_shift_and_mask()
    {
        Assert.Equal(
            [Instruction.Load(Operation.LoadU32, 2, 1, 112), Instruction.Alu(Operation.Rsh32, 2, 8), Instruction.Alu(Operation.And32, 2, 0xff)],
            Convert(Instruction.Load(Operation.LoadU8, 2, 1, 1)));
        Assert.Equal(
            [Instruction.Load(Operation.LoadU32, 2, 1, 112), Instruction.Alu(Operation.Rsh32, 2, 16), Instruction.Alu(Operation.And32, 2, 0xffff)],
            Convert(Instruction.Load(Operation.LoadU16, 2, 1, 2)));
    }

    [Fact]
    public void A_narrow_read_as_wide_as_the_converted_read_is_not_masked_as_in_the_kernel()
    {
        // protocol's converted read yields 2 bytes: a 2-byte read of its upper half gets the same value, unshifted.
        Assert.Equal([Instruction.Load(Operation.LoadU16, 2, 1, 20), new Instruction(Operation.ToBe16, 2)],
            Convert(Instruction.Load(Operation.LoadU16, 2, 1, 18)));
        Assert.Equal(
            [Instruction.Load(Operation.LoadU16, 2, 1, 20), new Instruction(Operation.ToBe16, 2), Instruction.Alu(Operation.And32, 2, 0xff)],
            Convert(Instruction.Load(Operation.LoadU8, 2, 1, 16)));
    }

    [Fact]
    public void A_guarded_store_skips_values_at_or_above_its_limit()
    {
        Assert.Equal(
            [Instruction.JumpIf(Operation.Jge64, 5, 0xffff, 1), Instruction.Store(Operation.Store16, 1, 18, 5)],
            Convert(Instruction.Store(Operation.Store32, 1, 12, 5), write: true));
    }

    [Fact]
    public void Byte_areas_keep_the_access_size_and_relative_offset()
    {
        Assert.Equal([Instruction.Load(Operation.LoadU64, 2, 1, 48)], Convert(Instruction.Load(Operation.LoadU64, 2, 1, 56)));
        Assert.Equal([Instruction.Store(Operation.Store8, 1, 45, 3)], Convert(Instruction.Store(Operation.Store8, 1, 53, 3), write: true));
    }

    [Theory]
    [InlineData(0, true)]     // len is read-only
    [InlineData(16, true)]    // protocol is read-only
    [InlineData(100, false)]  // no field at 100
    [InlineData(152, false)]  // tstamp read with 4 bytes
    public void Accesses_the_layout_does_not_allow_are_a_misconfigured_verifier(short offset, bool write)
    {
        Instruction access = write ? Instruction.Store(Operation.Store32, 1, offset, 2) : Instruction.Load(Operation.LoadU32, 2, 1, offset);
        VerifierException e = Assert.Throws<VerifierException>(() => Convert(access, write));
        Assert.StartsWith("bpf verifier is misconfigured", e.Reason);
    }

    [Fact]
    public void Jumps_over_a_rewritten_access_keep_their_target()
    {
        Instruction[] program =
        [
            Instruction.JumpIf(Operation.Jeq64, 1, 0, 2),       // 0: -> 3
            Instruction.Load(Operation.LoadU32, 0, 1, 16),      // 1: protocol (becomes 2 instructions)
            Instruction.Goto(1),                                // 2: -> 4
            Instruction.Alu(Operation.Mov64, 0, 7),             // 3
            Instruction.ExitProgram(),                          // 4
        ];
        Instruction[] rewritten = ContextRewriter.Rewrite(program, [new ContextAccess(1, 16, 4, false)], s_layout);
        Assert.Equal(6, rewritten.Length);
        Assert.Equal(3, rewritten[0].Offset);   // still lands on "r0 = 7"
        Assert.Equal(1, rewritten[3].Offset);   // still lands on exit
        Assert.Equal(Operation.Mov64, rewritten[4].Operation);
    }

    [Fact]
    public void A_jump_into_a_patched_instruction_lands_on_the_first_of_its_patch()
    {
        Instruction[] program =
        [
            Instruction.Goto(0),                                // 0: -> 1
            Instruction.Load(Operation.LoadU32, 0, 1, 16),      // 1
            Instruction.ExitProgram(),
        ];
        Instruction[] rewritten = InstructionPatcher.Apply(program, new Dictionary<int, Instruction[]>
        {
            [1] = [Instruction.Alu(Operation.Mov64, 0, 1), Instruction.Alu(Operation.Mov64, 0, 2)],
        });
        Assert.Equal(0, rewritten[0].Offset);
        Assert.Equal(4, rewritten.Length);
    }
}
