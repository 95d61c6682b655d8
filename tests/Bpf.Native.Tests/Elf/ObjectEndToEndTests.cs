using Bpf.Native.Elf;
using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Loader;
using Bpf.Native.Maps;

namespace Bpf.Native.Tests.Elf;

/// <summary>
/// An object file from clang to a running program whose map updates userspace reads back: parse, create maps,
/// relocate, load on each engine, run. The map helpers here are minimal stand-ins for the tc helper set.
/// </summary>
public sealed unsafe class ObjectEndToEndTests
{
    private static readonly HelperTable s_helpers = new HelperTable()
        .Register(1, "map_lookup_elem",
            new HelperPrototype(HelperReturnKind.PointerToMapValueOrNull, HelperArgumentKind.ConstMapPointer, HelperArgumentKind.PointerToMapKey),
            typeof(ObjectEndToEndTests).GetMethod(nameof(MapLookup), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!)
        .Register(2, "map_update_elem",
            new HelperPrototype(HelperReturnKind.Integer, HelperArgumentKind.ConstMapPointer, HelperArgumentKind.PointerToMapKey,
                HelperArgumentKind.PointerToMapValue, HelperArgumentKind.Anything),
            typeof(ObjectEndToEndTests).GetMethod(nameof(MapUpdate), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!);

    private static ulong MapLookup(BpfRunContext* run, ulong map, ulong key, ulong r3, ulong r4, ulong r5) =>
        (ulong)BpfMap.FromHandle((nint)map)!.Lookup((byte*)key);

    private static ulong MapUpdate(BpfRunContext* run, ulong map, ulong key, ulong value, ulong flags, ulong r5) =>
        (ulong)(long)BpfMap.FromHandle((nint)map)!.Update((byte*)key, (byte*)value, flags);

    [Theory]
    [InlineData(EngineKind.Interpreter)]
    [InlineData(EngineKind.Jit)]
    public void A_clang_object_counts_into_its_maps(EngineKind engine)
    {
        ObjectSpec spec = ObjectSpec.Load(FixtureObjects.PathOf("map_counter"));
        using MapCollection maps = MapCollection.Create(spec);
        ProgramSpec count = spec.FindDefaultTcProgram()!;
        BpfProgram program = ProgramLoader.Load(MapRelocator.ApplyToBytes(count, maps.Maps),
            new LoadOptions { Engine = engine, Helpers = s_helpers });

        byte[] input = new byte[8];
        ulong Run(uint key, uint amount)
        {
            BitConverter.GetBytes(key).CopyTo(input, 0);
            BitConverter.GetBytes(amount).CopyTo(input, 4);
            return program.Run(input);
        }

        Assert.Equal(0UL, Run(5, 1));
        Assert.Equal(1UL, Run(5, 2));
        Assert.Equal(0UL, Run(6, 3));

        var value = new byte[8];
        Assert.Equal(0, maps["totals"].LookupElement(BitConverter.GetBytes(5u), value));
        Assert.Equal(2003UL, BitConverter.ToUInt64(value));
        Assert.Equal(0, maps["totals"].LookupElement(BitConverter.GetBytes(6u), value));
        Assert.Equal(1003UL, BitConverter.ToUInt64(value));
        Assert.Equal(0, maps["runs"].LookupElement(BitConverter.GetBytes(0u), value));
        Assert.Equal(3UL, BitConverter.ToUInt64(value));
        Assert.Equal(6UL, *(ulong*)((ArrayMap)maps[".bss"]).ValuesBase);
    }
}
