using Bpf.Native.Elf;
using Bpf.Native.Maps;

namespace Bpf.Native.Tests.Elf;

public sealed class LegacyObjectTests
{
    private static readonly ObjectSpec s_spec = ObjectSpec.Load(FixtureObjects.PathOf("tc_legacy"));

    [Fact]
    public void Maps_come_from_struct_bpf_elf_map_with_tc_pinning()
    {
        MapSpec counts = s_spec.FindMap("flow_counts")!;
        Assert.Equal(BpfMapType.Hash, counts.Type);
        Assert.Equal((4u, 8u, 1024u), (counts.KeySize, counts.ValueSize, counts.MaxEntries));
        Assert.Equal(MapPinning.GlobalNamespace, counts.Pinning);
        Assert.Equal(MapSource.LegacyMapsSection, counts.Source);

        MapSpec verdicts = s_spec.FindMap("verdicts")!;
        Assert.Equal(BpfMapType.Array, verdicts.Type);
        Assert.Equal(MapPinning.ObjectNamespace, verdicts.Pinning);

        MapSpec jumps = s_spec.FindMap("jump_table")!;
        Assert.Equal(BpfMapType.ProgArray, jumps.Type);
        Assert.Equal(7u, jumps.LegacyId);
    }

    [Fact]
    public void Programs_are_found_by_section_with_the_license()
    {
        Assert.Equal("GPL", s_spec.License);
        Assert.Equal("cls_main", s_spec.FindProgramBySection("classifier")!.Name);
        Assert.Equal("act_main", s_spec.FindProgramBySection("action")!.Name);
        Assert.Equal("cls_main", s_spec.FindDefaultTcProgram()!.Name);
        Assert.Equal("GPL", s_spec.FindProgram("act_main")!.License);
    }

    [Fact]
    public void Map_loads_become_by_index_ld_imm64_with_a_named_reference()
    {
        ProgramSpec program = s_spec.FindProgram("cls_main")!;
        Assert.Equal(["flow_counts", "flow_counts", "jump_table"], program.MapReferences.Select(r => r.MapName));
        foreach (MapReference reference in program.MapReferences)
        {
            ulong word = program.Instructions[reference.InstructionIndex];
            Assert.Equal(0x18, (int)(word & 0xff));
            Assert.Equal(5, (int)((word >> 12) & 0xf)); // BPF_PSEUDO_MAP_IDX
            int index = (int)(word >> 32);
            Assert.Equal(reference.MapName, s_spec.Maps[index].Name);
            Assert.Equal(MapReferenceKind.Map, reference.Kind);
        }
    }

    [Fact]
    public void Parsing_the_same_bytes_twice_gives_equal_specs()
    {
        ObjectSpec again = ObjectSpec.Parse(FixtureObjects.Bytes("tc_legacy"));
        Assert.Equal(s_spec, again);
        Assert.NotEqual(s_spec, again with { License = "MIT" });
    }
}
