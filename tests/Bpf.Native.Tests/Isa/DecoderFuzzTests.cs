using Bpf.Native.Isa;
using Bpf.Native.Helpers;
using Bpf.Native.Tests.Support;
using Bpf.Native.Verifier;
using CsCheck;

namespace Bpf.Native.Tests.Isa;

/// <summary>
/// The decoder takes untrusted bytes: for every input exactly one of an error or a result, never an exception, and
/// whatever decodes encodes back to the same bytes (the canonical form loses nothing).
/// </summary>
public sealed class DecoderFuzzTests
{
    private static void ExactlyOneOfErrorOrResult(byte[] bytes)
    {
        bool decoded = Decoder.TryDecode(bytes, out var instructions, out int slot, out string? error);

        Assert.True(decoded == (instructions is not null) && decoded == (error is null),
            $"decoded={decoded} instructions={instructions is not null} error={error}");
        if (decoded)
        {
            Assert.Equal(bytes, Encoder.Encode(instructions));
        }
        else
        {
            Assert.InRange(slot, -1, bytes.Length / RawInstruction.SizeBytes);
        }
    }

    [Fact]
    public void Random_bytes_give_exactly_one_of_error_or_result() =>
        Gen.Byte.Array[0, 80].Sample(ExactlyOneOfErrorOrResult, iter: 20_000);

    [Fact]
    public void Near_valid_slots_give_exactly_one_of_error_or_result() =>
        InstructionGen.NearValidSlots.Sample(ExactlyOneOfErrorOrResult, iter: 50_000);

    [Fact]
    public void Every_single_opcode_with_clean_fields_decodes_or_errors()
    {
        for (int opcode = 0; opcode < 256; opcode++)
        {
            var bytes = new byte[16];
            new RawInstruction((byte)opcode, 1, 2, 0, 0).Write(bytes);
            ExactlyOneOfErrorOrResult(bytes);
        }
    }

    [Fact]
    public void Verifier_gives_exactly_one_of_rejection_or_program_for_whatever_decodes()
    {
        var helpers = new HelperTable().Register(1, "one", new HelperPrototype(HelperReturnKind.Integer),
            typeof(TestHelpers).GetMethod(nameof(TestHelpers.ReturnsFirstArgument))!);
        InstructionGen.NearValidSlots.Sample(bytes =>
        {
            if (!Decoder.TryDecode(bytes, out var instructions, out _, out _))
            {
                return;
            }
            try
            {
                Assert.NotNull(StructuralVerifier.Verify(instructions, helpers));
            }
            catch (VerifierException e)
            {
                Assert.False(string.IsNullOrEmpty(e.Reason));
            }
        }, iter: 50_000);
    }

    [Fact]
    public void Generated_instructions_round_trip_through_encoding() =>
        InstructionGen.Any.Sample(instruction =>
        {
            var bytes = Encoder.Encode([instruction]);
            Assert.Equal(instruction, Assert.Single(Decoder.Decode(bytes)));
        }, iter: 50_000);
}
