using Bpf.Native.Elf;
using Bpf.Native.Maps;

namespace Bpf.Native.Tests.Elf;

/// <summary>From object file to instructions that hold live map addresses, as the kernel's loader leaves them.</summary>
public sealed class MapRelocatorTests
{
    private static readonly ObjectSpec s_spec = ObjectSpec.Load(FixtureObjects.PathOf("btf_maps"));

    private static ulong Imm64(ulong[] words, int at) => (words[at] >> 32) | (words[at + 1] & 0xffffffff00000000UL);

    [Fact]
    public void Map_loads_become_map_handles_and_global_data_loads_value_addresses()
    {
        using MapCollection maps = MapCollection.Create(s_spec);
        ProgramSpec program = s_spec.FindProgram("tc_ingress")!;
        ulong[] words = MapRelocator.Apply(program, maps.Maps, keepPseudoSource: true);
        Assert.Equal(program.Instructions.Count, words.Length);
        foreach (MapReference reference in program.MapReferences)
        {
            ulong word = words[reference.InstructionIndex];
            BpfMap map = maps[reference.MapName];
            if (reference.Kind == MapReferenceKind.Map)
            {
                Assert.Equal(1, (int)((word >> 12) & 0xf));
                Assert.Same(map, BpfMap.FromHandle((nint)Imm64(words, reference.InstructionIndex)));
            }
            else
            {
                Assert.Equal(2, (int)((word >> 12) & 0xf));
                Assert.Equal(map.DirectValueAddress(reference.Offset), Imm64(words, reference.InstructionIndex));
            }
            Assert.Equal(program.Instructions[reference.InstructionIndex] & 0xfff, word & 0xfff); // opcode and dst kept
        }
    }

    [Fact]
    public void By_default_resolved_loads_are_plain_constants()
    {
        using MapCollection maps = MapCollection.Create(s_spec);
        ProgramSpec program = s_spec.FindProgram("tc_ingress")!;
        ulong[] words = MapRelocator.Apply(program, maps.Maps);
        foreach (MapReference reference in program.MapReferences)
        {
            Assert.Equal(0, (int)((words[reference.InstructionIndex] >> 12) & 0xf));
        }
    }

    [Fact]
    public unsafe void Global_data_starts_with_the_section_contents_and_rodata_is_frozen()
    {
        using MapCollection maps = MapCollection.Create(s_spec);
        var data = (ArrayMap)maps[".data"];
        Assert.Equal(7u, *(uint*)data.ValuesBase);
        var rodata = (ArrayMap)maps[".rodata"];
        Assert.Equal(1500u, *(uint*)rodata.ValuesBase);
        Assert.True(rodata.IsFrozen);
        Assert.Equal(0UL, *(ulong*)((ArrayMap)maps[".bss"]).ValuesBase);
    }

    [Fact]
    public void Map_in_map_slots_are_filled_from_the_initialiser()
    {
        using MapCollection maps = MapCollection.Create(s_spec);
        var outer = (ArrayOfMapsMap)maps["outer"];
        Assert.Same(maps["inner_a"], outer.GetInnerMap(0));
        Assert.Null(outer.GetInnerMap(1));
        Assert.Same(maps["inner_b"], outer.GetInnerMap(2));
    }

    [Fact]
    public void Every_map_type_of_the_fixtures_can_be_created()
    {
        using MapCollection btf = MapCollection.Create(s_spec);
        using MapCollection legacy = MapCollection.Create(ObjectSpec.Load(FixtureObjects.PathOf("tc_legacy")));
        Assert.Equal(s_spec.Maps.Count, btf.Maps.Count);
        Assert.IsType<RingBufMap>(btf["events"]);
        Assert.IsType<LpmTrieMap>(btf["routes"]);
        Assert.IsType<QueueStackMap>(btf["work"]);
        Assert.IsType<ProgArrayMap>(legacy["jump_table"]);
    }

    [Fact]
    public void A_missing_map_is_reported_by_name()
    {
        ProgramSpec program = s_spec.FindProgram("tc_ingress")!;
        var e = Assert.Throws<InvalidOperationException>(() => MapRelocator.Apply(program, new Dictionary<string, BpfMap>()));
        Assert.Contains("flows", e.Message);
    }
}
