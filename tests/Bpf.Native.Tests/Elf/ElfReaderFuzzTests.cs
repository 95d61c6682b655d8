using System.Buffers.Binary;
using Bpf.Native.Elf;
using CsCheck;

namespace Bpf.Native.Tests.Elf;

/// <summary>
/// Mutated real objects (cilium/ebpf's rule): parsing gives exactly one of a result or an
/// <see cref="ElfFormatException"/>, never another exception. Mutations aim at the places a hostile file would:
/// random bytes anywhere, header and section-header words, symbol and relocation entries, BTF.
/// </summary>
public sealed class ElfReaderFuzzTests
{
    private static readonly byte[][] s_corpus =
        new[] { "tc_legacy", "btf_maps", "map_counter", "tc_legacy_short" }.Select(FixtureObjects.Bytes).ToArray();

    private static readonly List<ElfSection>[] s_corpusSections = s_corpus.Select(NonEmpty).ToArray();

    private static readonly byte[] s_btf = s_corpus[1];

    private static readonly Gen<(int Kind, int Position, ulong Value)> s_mutation =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.ULong);

    [Fact]
    public void Mutated_objects_parse_or_fail_with_ElfFormatException_only()
    {
        Gen.Select(Gen.Int[0, s_corpus.Length - 1], s_mutation.Array[1, 8]).Sample(input =>
        {
            byte[] image = Mutate(input.Item1, input.Item2);
            AssertExactlyOneOutcome(image);
        }, iter: int.Parse(Environment.GetEnvironmentVariable("ELF_FUZZ_ITERATIONS") ?? "4000"), threads: 1);
    }

    [Fact]
    public void Random_bytes_after_a_valid_header_fail_cleanly()
    {
        Gen.Byte.Array[64, 2048].Sample(bytes =>
        {
            s_btf.AsSpan(0, 64).CopyTo(bytes);
            AssertExactlyOneOutcome(bytes);
        }, iter: 1000, threads: 1);
    }

    private static void AssertExactlyOneOutcome(byte[] image)
    {
        ObjectSpec? spec = null;
        ElfFormatException? error = null;
        try
        {
            spec = ObjectSpec.Parse(image);
        }
        catch (ElfFormatException e)
        {
            error = e;
        }
        Assert.True((spec is null) != (error is null));
        if (error is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    private static List<ElfSection> NonEmpty(byte[] image) =>
        ElfReader.Parse(image).Sections.Where(s => s.Size > 0 && !s.HasNoBits && s.Type != ElfSection.TypeNull).ToList();

    private static byte[] Mutate(int corpusIndex, (int Kind, int Position, ulong Value)[] mutations)
    {
        byte[] original = s_corpus[corpusIndex];
        byte[] image = (byte[])original.Clone();
        long table = (long)BinaryPrimitives.ReadUInt64LittleEndian(original.AsSpan(0x28));
        int sections = BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(0x3c));
        foreach ((int kind, int position, ulong value) in mutations)
        {
            switch (kind)
            {
                case 0: // one random byte anywhere
                    image[position % image.Length] = (byte)value;
                    break;
                case 1: // a 32-bit word anywhere, small or huge
                    int at = position % (image.Length - 4) & ~3;
                    BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(at), (value & 1) == 0 ? (uint)(value >> 1) % 64 : (uint)(value >> 32));
                    break;
                case 2: // a field of a section header
                    int field = (int)table + position % sections * 64 + (int)(value % 8) * 8;
                    BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(field), (value >> 8) % 3 == 0 ? value >> 40 : value >> 56);
                    break;
                case 3: // a header word
                    int headerField = 16 + position % 48 & ~1;
                    BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(headerField), (ushort)(value % 4 == 0 ? value >> 48 : value % 80));
                    break;
                case 4: // truncate
                    return image[..(position % image.Length)];
                default: // bytes inside one section's contents: symbols, relocations, BTF, map definitions, code
                    List<ElfSection> withBytes = s_corpusSections[corpusIndex];
                    ElfSection target = withBytes[position % withBytes.Count];
                    int inside = (int)target.Offset + (int)(value % (ulong)target.Size);
                    image[inside] = (byte)(value >> 56);
                    if (inside + 4 < image.Length && (value & 0x100) != 0)
                    {
                        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(inside), (uint)(value >> 9) % 300);
                    }
                    break;
            }
        }
        return image;
    }
}
