using Bpf.Native.Elf;
using Bpf.Native.Maps;

namespace Bpf.Native.Tests.Elf;

public sealed class ObjectVariantsTests
{
    [Fact]
    public void Old_five_field_bpf_elf_map_objects_load_as_iproute2_loads_them()
    {
        ObjectSpec spec = ObjectSpec.Load(FixtureObjects.PathOf("tc_legacy_short"));
        MapSpec counters = spec.FindMap("counters")!;
        Assert.Equal((BpfMapType.PerCpuArray, 4u, 8u, 2u), (counters.Type, counters.KeySize, counters.ValueSize, counters.MaxEntries));
        Assert.Equal(MapPinning.None, counters.Pinning);
        Assert.Equal(BpfMapType.LruHash, spec.FindMap("seen")!.Type);
        Assert.Equal("", spec.License);
        Assert.Equal("count", spec.FindProgramBySection("action")!.Name);
    }

    [Fact]
    public void Externs_are_refused_by_name()
    {
        var e = Assert.Throws<ElfFormatException>(() => ObjectSpec.Load(FixtureObjects.PathOf("extern_ref")));
        Assert.Contains("LINUX_KERNEL_VERSION", e.Message);
        Assert.Contains("extern", e.Message);
    }
}
