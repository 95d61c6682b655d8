using System.Buffers.Binary;
using Bpf.Native.Btf;
using Bpf.Native.Elf;
using Bpf.Native.Tests.Elf;

namespace Bpf.Native.Tests.Btf;

public sealed class BtfSpecTests
{
    /// <summary>Builds a .BTF blob from (info, size_or_type, extra words) triples and a string table.</summary>
    private static byte[] Blob(string strings, params (uint NameOffset, uint Info, uint SizeOrType, uint[] Extra)[] types)
    {
        var body = new List<byte>();
        foreach ((uint name, uint info, uint sizeOrType, uint[] extra) in types)
        {
            foreach (uint word in new[] { name, info, sizeOrType }.Concat(extra))
            {
                body.AddRange(BitConverter.GetBytes(word));
            }
        }
        byte[] stringBytes = System.Text.Encoding.ASCII.GetBytes(strings);
        var blob = new byte[24 + body.Count + stringBytes.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, BtfSpec.Magic);
        blob[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)body.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)body.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)stringBytes.Length);
        body.CopyTo(blob, 24);
        stringBytes.CopyTo(blob, 24 + body.Count);
        return blob;
    }

    private static uint Info(BtfKind kind, int vlen = 0) => ((uint)kind << 24) | (uint)vlen;

    [Fact]
    public void Sizes_resolve_through_typedefs_modifiers_and_arrays()
    {
        byte[] blob = Blob("\0u32\0t\0",
            (1, Info(BtfKind.Int), 4, [32]),               // 1: u32
            (5, Info(BtfKind.Typedef), 1, []),             // 2: typedef u32 t
            (0, Info(BtfKind.Const), 2, []),               // 3: const t
            (0, Info(BtfKind.Array), 0, [3, 1, 10]),       // 4: const t[10]
            (0, Info(BtfKind.Pointer), 4, []));            // 5: pointer
        BtfSpec spec = BtfSpec.Parse(blob);
        Assert.Equal(6, spec.Types.Count);
        Assert.Equal(40, spec.SizeOf(4, "test"));
        Assert.Equal(8, spec.SizeOf(5, "test"));
        Assert.Equal(BtfKind.Int, spec.SkipModifiers(3, "test").Kind);
        Assert.Equal("t", spec.Types[2].Name);
    }

    [Fact]
    public void Cycles_and_dangling_references_are_errors_not_hangs()
    {
        byte[] cycle = Blob("\0", (0, Info(BtfKind.Typedef), 2, []), (0, Info(BtfKind.Const), 1, []));
        BtfSpec spec = BtfSpec.Parse(cycle);
        Assert.Contains("cyclic", Assert.Throws<ElfFormatException>(() => spec.SizeOf(1, "t")).Message);

        byte[] dangling = Blob("\0", (0, Info(BtfKind.Pointer), 99, []));
        Assert.Contains("type 99", Assert.Throws<ElfFormatException>(() => BtfSpec.Parse(dangling)).Message);
    }

    [Fact]
    public void Truncated_member_lists_bad_strings_and_kinds_are_named()
    {
        byte[] truncated = Blob("\0", (0, Info(BtfKind.Struct, vlen: 3), 8, [0, 0, 0]));
        Assert.Contains("member list", Assert.Throws<ElfFormatException>(() => BtfSpec.Parse(truncated)).Message);

        byte[] badName = Blob("\0", (500, Info(BtfKind.Int), 4, [32]));
        Assert.Contains("string offset 500", Assert.Throws<ElfFormatException>(() => BtfSpec.Parse(badName)).Message);

        byte[] badKind = Blob("\0", (0, Info((BtfKind)25), 4, []));
        Assert.Contains("unknown kind 25", Assert.Throws<ElfFormatException>(() => BtfSpec.Parse(badKind)).Message);

        Assert.Contains("bad magic", Assert.Throws<ElfFormatException>(() => BtfSpec.Parse(new byte[24])).Message);
    }

    [Fact]
    public void The_fixture_btf_describes_its_map_key_struct()
    {
        ElfReader elf = ElfReader.Parse(FixtureObjects.Bytes("btf_maps"));
        BtfSpec spec = BtfSpec.Parse(elf.Data(elf.FindSection(".BTF")!));
        BtfType key = spec.Find(BtfKind.Struct, "flow_key")!;
        Assert.Equal(["saddr", "daddr", "sport", "dport", "proto"], key.Members.Select(m => m.Name));
        Assert.Equal(16, spec.SizeOf(key.Id, "flow_key"));
        Assert.NotNull(spec.Find(BtfKind.DataSection, ".maps"));
    }
}
