using Bpf.Native.Elf;
using Bpf.Native.Maps;
using CsCheck;
using static Bpf.Native.Tests.Maps.MapTestKit;

namespace Bpf.Native.Tests.Maps;

public sealed unsafe class PinnedMapTests : IDisposable
{
    private readonly string _directory = TempDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static MapSpec Spec(string name, BpfMapType type = BpfMapType.Hash, MapPinning pinning = MapPinning.ByName,
        uint key = 4, uint value = 8, uint max = 64, BpfMapFlags flags = BpfMapFlags.None) =>
        new() { Name = name, Type = type, KeySize = key, ValueSize = value, MaxEntries = max, Pinning = pinning, Flags = flags };

    [Fact]
    public void Pin_paths_follow_tc_and_libbpf()
    {
        var store = new MapPinStore(_directory);
        Assert.Equal(Path.Combine(_directory, "tc", "globals", "a"), store.PathFor(Spec("a", pinning: MapPinning.GlobalNamespace)));
        Assert.Equal(Path.Combine(_directory, "tc", "abc", "a"), store.PathFor(Spec("a", pinning: MapPinning.ObjectNamespace), "abc"));
        Assert.Equal(Path.Combine(_directory, "a"), store.PathFor(Spec("a")));
        Assert.Throws<ArgumentException>(() => store.PathFor(Spec("../x")));
        Assert.Equal("/run/forwarder/bpf", new MapPinStore().Directory);
    }

    [Fact]
    public void Two_mappings_of_a_pin_see_each_others_writes()
    {
        var store = new MapPinStore(_directory);
        BpfMap first = store.CreateOrOpen(Spec("shared"));
        Assert.Equal(Path.Combine(_directory, "shared"), first.PinPath);
        using BpfMap second = MapPinStore.Open(first.PinPath!);
        Assert.NotEqual((nint)first.Memory.Base, (nint)second.Memory.Base);

        Assert.Equal(0, Put(first, 1, 10));
        Assert.Equal(10UL, Get(second, 1));
        Assert.Equal(0, second.UpdateElement(U32(2), U64(20)));
        Assert.Equal(20UL, Get(first, 2));
        Assert.Equal(0, Remove(second, 1));
        Assert.Null(Get(first, 1));
        MapPinStore.ForgetProcessPin(first.PinPath!);
        first.Dispose();
    }

    [Theory]
    [InlineData(BpfMapType.Array, 4u, 8u, BpfMapFlags.None)]
    [InlineData(BpfMapType.PerCpuArray, 4u, 8u, BpfMapFlags.None)]
    [InlineData(BpfMapType.PerCpuHash, 4u, 8u, BpfMapFlags.None)]
    [InlineData(BpfMapType.LruHash, 4u, 8u, BpfMapFlags.None)]
    [InlineData(BpfMapType.LruPerCpuHash, 4u, 8u, BpfMapFlags.None)]
    [InlineData(BpfMapType.LpmTrie, 8u, 8u, BpfMapFlags.NoPrealloc)]
    public void Every_shareable_type_reopens_with_its_contents(BpfMapType type, uint key, uint value, BpfMapFlags flags)
    {
        var store = new MapPinStore(_directory);
        BpfMap map = store.CreateOrOpen(Spec("m" + (int)type, type, key: key, value: value, flags: flags));
        byte[] k = new byte[key];
        k[0] = key == 8 ? (byte)32 : (byte)3; // an LPM key: /32
        byte[] v = new byte[map.UserValueSize];
        v[0] = 0x5a;
        Assert.Equal(0, map.UpdateElement(k, v));
        using BpfMap other = MapPinStore.Open(map.PinPath!);
        Assert.Equal(map.Definition with { }, other.Definition);
        var read = new byte[other.UserValueSize];
        Assert.Equal(0, other.LookupElement(k, read));
        Assert.Equal(0x5a, read[0]);
        MapPinStore.ForgetProcessPin(map.PinPath!);
        map.Dispose();
    }

    [Fact]
    public void Queue_and_ring_buffer_pins_work_across_mappings()
    {
        var store = new MapPinStore(_directory);
        BpfMap queue = store.CreateOrOpen(Spec("q", BpfMapType.Queue, key: 0, value: 4, max: 8));
        using BpfMap queueView = MapPinStore.Open(queue.PinPath!);
        Assert.Equal(0, queue.UpdateElement([], BitConverter.GetBytes(5u)));
        var value = new byte[4];
        Assert.Equal(0, queueView.LookupAndDeleteElement([], value));
        Assert.Equal(5u, BitConverter.ToUInt32(value));

        var ring = (RingBufMap)store.CreateOrOpen(Spec("events", BpfMapType.RingBuf, key: 0, value: 0, max: 8192));
        using var ringView = (RingBufMap)MapPinStore.Open(ring.PinPath!);
        byte[] record = [9, 8, 7];
        fixed (byte* p = record)
        {
            Assert.Equal(0, ring.Output(p, 3, 0));
        }
        var seen = new List<byte[]>();
        new RingBufConsumer(ringView).Consume(r => seen.Add(r.ToArray()));
        Assert.Equal([record], seen);
        Assert.Equal(ring.Query(2), ringView.Query(2)); // the consumer position is shared too
        foreach (BpfMap map in new[] { queue, ring })
        {
            MapPinStore.ForgetProcessPin(map.PinPath!);
            map.Dispose();
        }
    }

    [Fact]
    public void An_existing_pin_is_reused_when_it_matches_and_refused_when_it_does_not()
    {
        var store = new MapPinStore(_directory);
        BpfMap map = store.CreateOrOpen(Spec("reuse"));
        Assert.Same(map, store.CreateOrOpen(Spec("reuse")));
        Put(map, 1, 1);
        MapPinStore.ForgetProcessPin(map.PinPath!);
        BpfMap reopened = store.CreateOrOpen(Spec("reuse"));
        Assert.NotSame(map, reopened);
        Assert.Equal(1UL, Get(reopened, 1));
        MapPinStore.ForgetProcessPin(map.PinPath!);
        var e = Assert.Throws<MapFormatException>(() => store.CreateOrOpen(Spec("reuse", value: 16)));
        Assert.Contains("value 8", e.Message);
        map.Dispose();
        reopened.Dispose();
    }

    [Fact]
    public void Process_local_types_are_pinned_within_the_process()
    {
        var store = new MapPinStore(_directory);
        BpfMap jumps = store.CreateOrOpen(Spec("jmp", BpfMapType.ProgArray, MapPinning.GlobalNamespace, value: 4, max: 4));
        Assert.Same(jumps, store.CreateOrOpen(Spec("jmp", BpfMapType.ProgArray, MapPinning.GlobalNamespace, value: 4, max: 4)));
        Assert.Null(jumps.PinPath);
        Assert.False(File.Exists(store.PathFor(Spec("jmp", pinning: MapPinning.GlobalNamespace))));
        MapPinStore.ForgetProcessPin(store.PathFor(Spec("jmp", pinning: MapPinning.GlobalNamespace)));
    }

    [Fact]
    public void Files_that_are_not_maps_are_refused_with_a_clear_error()
    {
        string path = Path.Combine(_directory, "junk");
        File.WriteAllBytes(path, new byte[8192]);
        Assert.Contains("bad magic", Assert.Throws<MapFormatException>(() => MapPinStore.Open(path)).Message);
        File.WriteAllBytes(path, new byte[10]);
        Assert.Contains("too short", Assert.Throws<MapFormatException>(() => MapPinStore.Open(path)).Message);

        var store = new MapPinStore(_directory);
        BpfMap map = store.CreateOrOpen(Spec("cut"));
        string copy = Path.Combine(_directory, "cut-copy");
        File.Copy(map.PinPath!, copy);
        using (var stream = new FileStream(copy, FileMode.Open))
        {
            stream.SetLength(stream.Length - 4096);
        }
        Assert.Contains("bytes", Assert.Throws<MapFormatException>(() => MapPinStore.Open(copy)).Message);
        MapPinStore.ForgetProcessPin(map.PinPath!);
        map.Dispose();
    }

    [Fact]
    public void Corrupted_pins_open_with_an_error_or_read_without_faulting()
    {
        var store = new MapPinStore(_directory);
        BpfMap map = store.CreateOrOpen(Spec("victim", max: 32));
        for (uint key = 0; key < 32; key++)
        {
            Put(map, key, key);
        }
        byte[] original = File.ReadAllBytes(map.PinPath!);
        MapPinStore.ForgetProcessPin(map.PinPath!);
        map.Dispose();
        string path = Path.Combine(_directory, "mutant");
        Gen.Select(Gen.Int[0, original.Length - 4], Gen.UInt, Gen.Int[1, 6]).Array[1, 6].Sample(mutations =>
        {
            byte[] image = (byte[])original.Clone();
            foreach ((int at, uint value, int width) in mutations)
            {
                int position = width > 3 ? at % 256 : at; // half of the writes hit the header and control block
                BitConverter.GetBytes(value % 3 == 0 ? value % 64 : value).AsSpan(0, 4).CopyTo(image.AsSpan(Math.Min(position, image.Length - 4)));
            }
            File.WriteAllBytes(path, image);
            BpfMap opened;
            try
            {
                opened = MapPinStore.Open(path);
            }
            catch (MapFormatException)
            {
                return;
            }
            using (opened)
            {
                for (uint key = 0; key < 40; key++)
                {
                    Get(opened, key);
                }
                opened.Keys();
            }
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void An_objects_pinned_maps_land_where_tc_and_libbpf_put_them()
    {
        var store = new MapPinStore(_directory);
        ObjectSpec legacy = ObjectSpec.Load(Elf.FixtureObjects.PathOf("tc_legacy"));
        string ns = MapPinStore.ObjectNamespaceOf(Elf.FixtureObjects.Bytes("tc_legacy"));
        using MapCollection maps = MapCollection.Create(legacy, store, ns);
        Assert.True(File.Exists(Path.Combine(_directory, "tc", "globals", "flow_counts")));
        Assert.True(File.Exists(Path.Combine(_directory, "tc", ns, "verdicts")));
        Assert.Equal(40, ns.Length);

        ObjectSpec btf = ObjectSpec.Load(Elf.FixtureObjects.PathOf("btf_maps"));
        using MapCollection btfMaps = MapCollection.Create(btf, store);
        Assert.True(File.Exists(Path.Combine(_directory, "flows")));
        foreach (BpfMap map in maps.Maps.Values.Concat(btfMaps.Maps.Values))
        {
            if (map.PinPath is not null)
            {
                MapPinStore.ForgetProcessPin(map.PinPath);
                map.Dispose();
            }
        }
    }
}
