using Bpf.Native.Maps;

namespace Bpf.Native.Tests.Maps;

public sealed class BpfMapFactoryTests
{
    [Theory]
    [InlineData(BpfMapType.Hash, 0u, 8u, 16u, BpfMapFlags.None)]
    [InlineData(BpfMapType.Hash, 4u, 0u, 16u, BpfMapFlags.None)]
    [InlineData(BpfMapType.Hash, 4u, 8u, 0u, BpfMapFlags.None)]
    [InlineData(BpfMapType.Hash, 600u, 8u, 16u, BpfMapFlags.None)]
    [InlineData(BpfMapType.LruHash, 4u, 8u, 16u, BpfMapFlags.NoPrealloc)]
    [InlineData(BpfMapType.Array, 8u, 8u, 16u, BpfMapFlags.None)]
    [InlineData(BpfMapType.LpmTrie, 8u, 4u, 16u, BpfMapFlags.None)]
    [InlineData(BpfMapType.LpmTrie, 4u, 4u, 16u, BpfMapFlags.NoPrealloc)]
    [InlineData(BpfMapType.Queue, 4u, 4u, 16u, BpfMapFlags.None)]
    [InlineData(BpfMapType.RingBuf, 0u, 0u, 5000u, BpfMapFlags.None)]
    [InlineData(BpfMapType.RingBuf, 0u, 0u, 2048u, BpfMapFlags.None)]
    [InlineData(BpfMapType.ProgArray, 4u, 8u, 16u, BpfMapFlags.None)]
    [InlineData(BpfMapType.SockMap, 4u, 4u, 16u, BpfMapFlags.None)]
    public void Definitions_the_kernel_refuses_are_refused(BpfMapType type, uint key, uint value, uint max, BpfMapFlags flags)
    {
        var e = Assert.Throws<ArgumentException>(() => BpfMapFactory.Create(new MapDefinition("bad", type, key, value, max, flags)));
        Assert.Contains("'bad'", e.Message);
    }

    [Fact]
    public void Map_in_map_needs_a_template()
    {
        Assert.Throws<ArgumentException>(() => BpfMapFactory.Create(new MapDefinition("o", BpfMapType.ArrayOfMaps, 4, 4, 4)));
    }

    [Fact]
    public void Huge_maps_are_refused_before_allocating()
    {
        Assert.Throws<ArgumentException>(() => BpfMapFactory.Create(new MapDefinition("big", BpfMapType.Array, 4, 1 << 20, 1 << 20)));
    }
}
