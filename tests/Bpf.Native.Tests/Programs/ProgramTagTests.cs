using System.Buffers.Binary;
using System.Security.Cryptography;
using Bpf.Native.Programs;
using Bpf.Native.Tests.Support;

namespace Bpf.Native.Tests.Programs;

/// <summary>The kernel's program tag (bpf_prog_calc_tag, SHA-1 in Linux 6.1).</summary>
public sealed class ProgramTagTests
{
    [Fact]
    public void The_seed_classifier_tag_is_the_sha1_of_its_instructions()
    {
        byte[] code = ClangFixtures.SeedClassifier;
        Assert.Equal("6bb4e9a61a2e732b", ProgramTag.Format(ProgramTag.Compute(code)));
        Assert.Equal(SHA1.HashData(code)[..8], ProgramTag.Compute(code));
    }

    [Fact]
    public void Map_file_descriptors_do_not_change_the_tag()
    {
        byte[] a = MapLoad(fd: 3, next: 0);
        byte[] b = MapLoad(fd: 42, next: 0);
        Assert.Equal(ProgramTag.Compute(a), ProgramTag.Compute(b));
        // A map value load's offset (second half) is zeroed too.
        Assert.Equal(ProgramTag.Compute(MapLoad(3, 0, src: 2)), ProgramTag.Compute(MapLoad(9, 16, src: 2)));
        // A plain 64-bit constant is part of the tag.
        Assert.NotEqual(ProgramTag.Compute(MapLoad(3, 0, src: 0)), ProgramTag.Compute(MapLoad(4, 0, src: 0)));
    }

    private static byte[] MapLoad(int fd, int next, byte src = 1)
    {
        var code = new byte[24];
        code[0] = 0x18;
        code[1] = (byte)(src << 4 | 1);
        BinaryPrimitives.WriteInt32LittleEndian(code.AsSpan(4), fd);
        BinaryPrimitives.WriteInt32LittleEndian(code.AsSpan(12), next);
        code[16] = 0x95;
        return code;
    }
}
