using System.Buffers.Binary;
using Bpf.Native.Elf;

namespace Bpf.Native.Tests.Elf;

/// <summary>Corrupt input gives an <see cref="ElfFormatException"/> that says what is wrong.</summary>
public sealed class HostileObjectTests
{
    private static byte[] Fixture() => FixtureObjects.Bytes("btf_maps");

    private static string ErrorOf(byte[] image) => Assert.Throws<ElfFormatException>(() => ObjectSpec.Parse(image)).Message;

    [Fact]
    public void Empty_and_short_files_are_rejected()
    {
        Assert.Contains("shorter than the ELF header", ErrorOf([]));
        Assert.Contains("shorter than the ELF header", ErrorOf(Fixture()[..40]));
    }

    [Fact]
    public void Wrong_magic_class_endianness_and_machine_are_named()
    {
        byte[] image = Fixture();
        image[1] = (byte)'X';
        Assert.Contains("bad magic", ErrorOf(image));

        image = Fixture();
        image[4] = 1;
        Assert.Contains("ELF class 1", ErrorOf(image));

        image = Fixture();
        image[5] = 2;
        Assert.Contains("big-endian", ErrorOf(image));

        image = Fixture();
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(18), 62);
        Assert.Contains("machine 62 is not BPF", ErrorOf(image));
    }

    [Fact]
    public void A_section_table_past_the_end_of_the_file_is_rejected()
    {
        byte[] image = Fixture();
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(0x28), (ulong)image.Length - 10);
        Assert.Contains("section header table", ErrorOf(image));
    }

    [Fact]
    public void A_section_whose_bytes_lie_outside_the_file_is_rejected()
    {
        byte[] image = Fixture();
        long table = (long)BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(0x28));
        // Section 2 is .text: give it an enormous size.
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan((int)table + 2 * 64 + 0x20), ulong.MaxValue - 4);
        Assert.Contains("section 2", ErrorOf(image));
    }

    [Fact]
    public void Truncated_files_are_rejected_at_every_length()
    {
        byte[] image = Fixture();
        for (int length = 0; length < image.Length; length += 97)
        {
            Assert.False(ObjectSpec.TryParse(image.AsMemory(0, length), out ObjectSpec? spec, out string? error));
            Assert.Null(spec);
            Assert.False(string.IsNullOrEmpty(error));
        }
    }
}
