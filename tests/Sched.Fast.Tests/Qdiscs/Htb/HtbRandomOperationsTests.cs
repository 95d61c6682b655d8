using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;
using Sched.Fast.Qdiscs.Htb;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Htb;

/// <summary>
/// htb's bookkeeping under random traffic and random class operations (add under leaves and inner classes, change
/// rate/ceil/prio/quantum, delete leaves, graft and ungraft leaves, reset): after every step the qdisc's invariants
/// hold (rows, feeds, event queues, modes, activity, counters), every packet is accounted for, and the pool gets
/// every packet back.
/// </summary>
public sealed class HtbRandomOperationsTests : IDisposable
{
    private readonly PacketPool _pool = new(4096);
    private readonly ManualClock _clock = new(new TimeNs(TimeNs.NsPerSecond));
    private readonly NetDevice _device = new("t0", 2) { TxQueueLength = 50 };

    public void Dispose() => _pool.Dispose();

    private static Qdisc Leaf(string kindName, string options, QdiscContext ctx)
    {
        QdiscKind kind = QdiscKinds.Find(kindName) ?? throw new InvalidOperationException(kindName);
        return kind.Create(kind.ParseOptions(TcArgs.Parse(options), TcParseContext.None), ctx);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Invariants_and_conservation_hold_under_random_operations(int seed)
    {
        var rng = new Random(seed);
        HtbQdisc q = HtbTestTree.Create(_device, "default 2 r2q 5", "1: 1:1 rate 20mbit ceil 40mbit");
        var ids = new List<uint> { 0x0001_0001 };
        uint nextMinor = 2;
        long enqueued = 0, dequeued = 0, reset = 0;
        string[] rates = ["64kbit", "500kbit", "2mbit", "10mbit", "30mbit"];

        for (int step = 0; step < 3000; step++)
        {
            int op = rng.Next(100);
            if (op < 45)
            {
                int n = rng.Next(1, 8);
                for (int i = 0; i < n && _pool.Available > 64; i++)
                {
                    uint target = rng.Next(10) == 0 ? 0x0001_0000u : rng.Next(6) == 0 ? 0u : ids[rng.Next(ids.Count)];
                    Packet p = TestFrames.Packet(_pool, 60 + rng.Next(1455), priority: target);
                    enqueued++;
                    q.Enqueue(p, _clock.Now);
                }
            }
            else if (op < 80)
            {
                int n = rng.Next(1, 12);
                for (int i = 0; i < n; i++)
                {
                    Packet? p = q.Dequeue(_clock.Now);
                    if (p is null) break;
                    dequeued++;
                    p.Free();
                }
                _clock.AdvanceNs(rng.Next(1, 3_000_000));
            }
            else if (op < 87 && ids.Count < 40)
            {
                uint parent = rng.Next(4) == 0 ? 0x0001_0000u : ids[rng.Next(ids.Count)];
                uint id = 0x0001_0000u | nextMinor++;
                string opts = $"rate {rates[rng.Next(rates.Length)]} ceil {rates[rng.Next(rates.Length)]} prio {rng.Next(8)}";
                if (rng.Next(3) == 0) opts += $" burst {1000 + rng.Next(20000)} cburst {1000 + rng.Next(20000)}";
                try
                {
                    HtbTestTree.AddClass(q, $"{TcHandle.Format(parent)} {TcHandle.Format(id)} {opts}");
                    ids.Add(id);
                }
                catch (TcException)
                {
                    // too deep: fine
                }
            }
            else if (op < 92)
            {
                var cl = (HtbClass)q.FindClass(ids[rng.Next(ids.Count)])!;
                string opts = $"rate {rates[rng.Next(rates.Length)]} ceil {rates[rng.Next(rates.Length)]} prio {rng.Next(8)}";
                if (rng.Next(2) == 0) opts += $" quantum {1000 + rng.Next(5000)}";
                q.ChangeClass(cl, 0, HtbTestTree.Kind.ParseClassOptions(TcArgs.Parse(opts), TcParseContext.None));
            }
            else if (op < 96 && ids.Count > 1)
            {
                uint id = ids[rng.Next(ids.Count)];
                var cl = (HtbClass)q.FindClass(id)!;
                try
                {
                    q.DeleteClass(cl);
                    ids.Remove(id);
                }
                catch (TcException)
                {
                    // has children
                }
            }
            else if (op < 99)
            {
                var cl = (HtbClass)q.FindClass(ids[rng.Next(ids.Count)])!;
                if (cl.ClassLevel == 0)
                {
                    var ctx = new QdiscContext(_device, 0, cl.ClassId);
                    Qdisc? leaf = rng.Next(5) switch
                    {
                        0 => new PfifoKind().Create(new FifoSpec((uint)rng.Next(1, 20)), ctx),
                        // Leaves that drop at dequeue (qlen_notify from below) or hold packets back (tbf).
                        1 => Leaf("codel", "target 1ms interval 5ms", ctx),
                        2 => Leaf("fq_codel", "target 1ms interval 5ms limit 30", ctx),
                        3 => Leaf("tbf", "rate 1mbit burst 3000 limit 20000", ctx),
                        _ => null,
                    };
                    q.Graft(cl, leaf).Destroy();
                }
            }
            else
            {
                reset += q.QueueLength; // qdisc_reset() frees what is queued without counting drops
                q.Reset();
            }
            q.AssertInvariants();
            Assert.Equal(enqueued, dequeued + reset + q.Stats.Drops + q.QueueLength);
        }

        // Drain: everything left must come out once time passes (the default class exists or packets go direct).
        for (int i = 0; i < 100_000 && q.QueueLength > 0; i++)
        {
            Packet? p = q.Dequeue(_clock.Now);
            if (p is null)
            {
                TimeNs wake = q.NextWakeup(_clock.Now);
                _clock.AdvanceTo(wake.IsNever || wake <= _clock.Now ? _clock.Now + TimeNs.NsPerMs : wake);
                continue;
            }
            dequeued++;
            p.Free();
            q.AssertInvariants();
        }
        Assert.Equal(0, q.QueueLength);
        Assert.Equal(enqueued, dequeued + reset + q.Stats.Drops);
        q.Destroy();
        Assert.Equal(4096, _pool.Available);
    }
}
