using BenchmarkDotNet.Attributes;
using Bpf.Native.Maps;

namespace Forwarder.Perf.Bpf;

/// <summary>
/// Map operations as programs call them (native pointers, the helpers' path): ns/op and allocated bytes/op, which
/// must be 0. Each invocation does <see cref="OperationsPerInvoke"/> operations over keys that all exist.
/// Run: dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*MapLookup*' --job short
/// </summary>
[MemoryDiagnoser]
public unsafe class MapLookupBenchmarks
{
    private const int OperationsPerInvoke = 1024;
    private const uint Entries = 1024;

    private BpfMap _hash = null!;
    private BpfMap _array = null!;
    private BpfMap _perCpuArray = null!;
    private BpfMap _lruHash = null!;
    private BpfMap _lpm = null!;
    private uint[] _keys = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hash = BpfMapFactory.Create(new MapDefinition("hash", BpfMapType.Hash, 4, 8, Entries));
        _lruHash = BpfMapFactory.Create(new MapDefinition("lru", BpfMapType.LruHash, 4, 8, Entries));
        _array = BpfMapFactory.Create(new MapDefinition("array", BpfMapType.Array, 4, 8, Entries));
        _perCpuArray = BpfMapFactory.Create(new MapDefinition("pcpu", BpfMapType.PerCpuArray, 4, 8, Entries, CpuCount: BpfCpu.PossibleCount));
        _lpm = BpfMapFactory.Create(new MapDefinition("lpm", BpfMapType.LpmTrie, 8, 8, Entries, BpfMapFlags.NoPrealloc));
        _keys = new uint[OperationsPerInvoke];
        var random = new Random(42);
        byte* lpmKey = stackalloc byte[8];
        for (uint i = 0; i < Entries; i++)
        {
            ulong value = i;
            uint key = i;
            _hash.Update((byte*)&key, (byte*)&value, 0);
            _lruHash.Update((byte*)&key, (byte*)&value, 0);
            // LPM: /24 routes 10.x.y.0, looked up with /32 keys
            *(uint*)lpmKey = 24;
            lpmKey[4] = 10;
            lpmKey[5] = (byte)(i >> 8);
            lpmKey[6] = (byte)i;
            lpmKey[7] = 0;
            _lpm.Update(lpmKey, (byte*)&value, 0);
        }
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = (uint)random.Next((int)Entries);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _hash.Dispose();
        _lruHash.Dispose();
        _array.Dispose();
        _perCpuArray.Dispose();
        _lpm.Dispose();
    }

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public ulong HashLookup() => Sum(_hash);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public ulong LruHashLookup() => Sum(_lruHash);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public ulong ArrayLookup() => Sum(_array);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public ulong PerCpuArrayLookup() => Sum(_perCpuArray);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public ulong LpmTrieLookup()
    {
        ulong sum = 0;
        byte* key = stackalloc byte[8];
        *(uint*)key = 32;
        key[4] = 10;
        foreach (uint k in _keys)
        {
            key[5] = (byte)(k >> 8);
            key[6] = (byte)k;
            key[7] = (byte)k;
            byte* value = _lpm.Lookup(key);
            sum += value == null ? 0 : *(ulong*)value;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int HashUpdateExisting()
    {
        int failures = 0;
        foreach (uint k in _keys)
        {
            uint key = k;
            ulong value = k;
            failures += _hash.Update((byte*)&key, (byte*)&value, BpfUpdateFlags.Exist);
        }
        return failures;
    }

    private ulong Sum(BpfMap map)
    {
        ulong sum = 0;
        foreach (uint k in _keys)
        {
            uint key = k;
            byte* value = map.Lookup((byte*)&key);
            sum += value == null ? 0 : *(ulong*)value;
        }
        return sum;
    }
}
