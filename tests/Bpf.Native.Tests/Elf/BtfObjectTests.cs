using Bpf.Native.Btf;
using Bpf.Native.Elf;
using Bpf.Native.Maps;

namespace Bpf.Native.Tests.Elf;

public sealed class BtfObjectTests
{
    private static readonly ObjectSpec s_spec = ObjectSpec.Load(FixtureObjects.PathOf("btf_maps"));

    [Fact]
    public void Btf_maps_take_sizes_from_key_and_value_types()
    {
        MapSpec flows = s_spec.FindMap("flows")!;
        Assert.Equal(BpfMapType.Hash, flows.Type);
        Assert.Equal((16u, 16u, 4096u), (flows.KeySize, flows.ValueSize, flows.MaxEntries));
        Assert.Equal(MapPinning.ByName, flows.Pinning);
        Assert.Equal("flow_key", flows.KeyType!.Name);
        Assert.Equal(BtfKind.Struct, flows.KeyType.Kind);
        Assert.Equal("flow_stats", flows.ValueType!.Name);
    }

    [Fact]
    public void Btf_maps_take_explicit_sizes_and_flags()
    {
        MapSpec recent = s_spec.FindMap("recent")!;
        Assert.Equal((BpfMapType.LruHash, 8u, 8u, 128u), (recent.Type, recent.KeySize, recent.ValueSize, recent.MaxEntries));
        MapSpec routes = s_spec.FindMap("routes")!;
        Assert.Equal((BpfMapType.LpmTrie, 8u, 4u), (routes.Type, routes.KeySize, routes.ValueSize));
        Assert.Equal(BpfMapFlags.NoPrealloc, routes.Flags);
        MapSpec events = s_spec.FindMap("events")!;
        Assert.Equal((BpfMapType.RingBuf, 0u, 0u, 4096u), (events.Type, events.KeySize, events.ValueSize, events.MaxEntries));
        MapSpec work = s_spec.FindMap("work")!;
        Assert.Equal((BpfMapType.Queue, 0u, 4u, 32u), (work.Type, work.KeySize, work.ValueSize, work.MaxEntries));
        Assert.Equal(BpfMapType.PerCpuArray, s_spec.FindMap("per_cpu_counters")!.Type);
    }

    [Fact]
    public void Map_in_map_has_an_inner_template_and_initial_slots()
    {
        MapSpec outer = s_spec.FindMap("outer")!;
        Assert.Equal(BpfMapType.ArrayOfMaps, outer.Type);
        Assert.Equal(4u, outer.ValueSize);
        Assert.NotNull(outer.InnerMap);
        Assert.Equal((BpfMapType.Array, 4u, 4u, 4u),
            (outer.InnerMap!.Type, outer.InnerMap.KeySize, outer.InnerMap.ValueSize, outer.InnerMap.MaxEntries));
        Assert.Equal([new MapInitialValue(0, "inner_a"), new MapInitialValue(2, "inner_b")], outer.InitialValues);
    }

    [Fact]
    public void Prog_array_initialiser_names_the_program()
    {
        MapSpec jumps = s_spec.FindMap("jumps")!;
        Assert.Equal(BpfMapType.ProgArray, jumps.Type);
        Assert.Equal([new MapInitialValue(1, "tail_target")], jumps.InitialValues);
        Assert.NotNull(s_spec.FindProgram("tail_target"));
    }

    [Fact]
    public void Global_data_sections_become_one_element_arrays()
    {
        MapSpec data = s_spec.FindMap(".data")!;
        Assert.Equal((BpfMapType.Array, 4u, 4u, 1u), (data.Type, data.KeySize, data.ValueSize, data.MaxEntries));
        Assert.Equal(new byte[] { 7, 0, 0, 0 }, data.Contents);
        Assert.False(data.Freeze);

        MapSpec rodata = s_spec.FindMap(".rodata")!;
        Assert.Equal(BitConverter.GetBytes(1500u), rodata.Contents);
        Assert.True(rodata.Freeze);
        Assert.True(rodata.Flags.HasFlag(BpfMapFlags.ReadOnlyProgram));

        MapSpec bss = s_spec.FindMap(".bss")!;
        Assert.Equal(new byte[8], bss.Contents);
    }

    [Fact]
    public void Global_data_loads_are_map_value_references()
    {
        ProgramSpec program = s_spec.FindProgram("tc_ingress")!;
        MapReference drop = Assert.Single(program.MapReferences, r => r.MapName == ".data");
        Assert.Equal(MapReferenceKind.Value, drop.Kind);
        ulong word = program.Instructions[drop.InstructionIndex];
        Assert.Equal(6, (int)((word >> 12) & 0xf)); // BPF_PSEUDO_MAP_IDX_VALUE
        Assert.Equal(0, (int)(program.Instructions[drop.InstructionIndex + 1] >> 32));
    }

    [Fact]
    public void Called_functions_are_appended_once_and_calls_point_at_them()
    {
        ProgramSpec program = s_spec.FindProgram("tc_ingress")!;
        Assert.Equal(["tc_ingress", "count_packet", "classify_len"], program.Functions.Select(f => f.Name));
        var starts = program.Functions.ToDictionary(f => f.InstructionIndex, f => f.Name);
        var called = new List<string>();
        for (int i = 0; i < program.Instructions.Count; i++)
        {
            ulong word = program.Instructions[i];
            if ((word & 0xff) == 0x85 && ((word >> 12) & 0xf) == 1)
            {
                called.Add(starts[i + (int)(word >> 32) + 1]);
            }
            if ((word & 0xff) == 0x18)
            {
                i++;
            }
        }
        Assert.Equal(["count_packet", "classify_len"], called);
        // Subprograms keep their own map references, re-based to the linked layout.
        ProgramFunction countPacket = program.Functions[1];
        Assert.Contains(program.MapReferences, r => r.MapName == "per_cpu_counters"
            && r.InstructionIndex >= countPacket.InstructionIndex
            && r.InstructionIndex < countPacket.InstructionIndex + countPacket.InstructionCount);
        Assert.Contains(program.MapReferences, r => r.MapName == ".rodata" && r.Kind == MapReferenceKind.Value);
    }

    [Fact]
    public void Programs_in_any_section_are_found_by_name()
    {
        Assert.Equal("by_section_name", s_spec.FindProgramBySection("classifier/extra")!.Name);
        Assert.Equal("tail_target", s_spec.FindProgramBySection("tcx/ingress")!.Name);
        Assert.Equal("tc_ingress", s_spec.FindDefaultTcProgram()!.Name);
        Assert.Null(s_spec.FindProgram("count_packet")); // .text functions are subprograms, not programs
        Assert.Equal("Dual BSD/GPL", s_spec.License);
    }

    [Fact]
    public void Specs_compare_by_value()
    {
        Assert.Equal(s_spec, ObjectSpec.Parse(FixtureObjects.Bytes("btf_maps")));
    }
}
