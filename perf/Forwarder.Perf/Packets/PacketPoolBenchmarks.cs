using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.ObjectPool;
using Sched.Fast.Packets;

namespace Forwarder.Perf.Packets;

/// <summary>
/// Renting and returning a packet: our <see cref="PacketPool"/> (owner-thread stack, metadata cleared on rent) against
/// Microsoft.Extensions.ObjectPool's DefaultObjectPool (an interlocked fast item plus a lock-free array) holding the
/// same packets. A burst of 32 is what a receive burst does. ObjectPool does not reset what it hands out; the last
/// case adds our per-rent reset to it for a like-for-like comparison.
/// <code>dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*PacketPoolBenchmarks*' --job short</code>
/// </summary>
[MemoryDiagnoser]
public class PacketPoolBenchmarks
{
    private const int Burst = 32;
    private PacketPool _pool = null!;
    private ObjectPool<Packet> _objectPool = null!;
    private readonly Packet[] _held = new Packet[Burst];

    [GlobalSetup]
    public void Setup()
    {
        _pool = new PacketPool(4096);
        var source = new PacketPool(4096);
        _objectPool = new DefaultObjectPool<Packet>(new PooledPacketPolicy(source), 4096);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Burst)]
    public void PacketPool_rent_and_return()
    {
        for (int i = 0; i < Burst; i++) _held[i] = _pool.Rent()!;
        for (int i = 0; i < Burst; i++) _held[i].Free();
    }

    /// <summary>The burst calls: one owner test per burst.</summary>
    [Benchmark(OperationsPerInvoke = Burst)]
    public void PacketPool_burst_rent_and_return()
    {
        _pool.RentBurst(_held);
        _pool.ReturnBurst(_held);
    }

    [Benchmark(OperationsPerInvoke = Burst)]
    public void ObjectPool_get_and_return()
    {
        for (int i = 0; i < Burst; i++) _held[i] = _objectPool.Get();
        for (int i = 0; i < Burst; i++) _objectPool.Return(_held[i]);
    }

    /// <summary>ObjectPool plus the reset our pool does on every rent (metadata cleared, data window at the headroom).</summary>
    [Benchmark(OperationsPerInvoke = Burst)]
    public void ObjectPool_get_reset_and_return()
    {
        for (int i = 0; i < Burst; i++)
        {
            Packet p = _objectPool.Get();
            p.ResetForRent();
            _held[i] = p;
        }
        for (int i = 0; i < Burst; i++) _objectPool.Return(_held[i]);
    }

    /// <summary>Hands out packets of a backing pool and leaves them rented, so ObjectPool manages them alone.</summary>
    private sealed class PooledPacketPolicy(PacketPool source) : IPooledObjectPolicy<Packet>
    {
        public Packet Create() => source.Rent() ?? throw new InvalidOperationException("backing pool exhausted");

        public bool Return(Packet obj) => true;
    }
}
