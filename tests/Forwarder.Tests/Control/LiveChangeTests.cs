using Forwarder.Control;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Time;

namespace Forwarder.Tests.Control;

/// <summary>
/// A running instance changed through its control socket while traffic flows: a datapath thread enqueues and
/// dequeues through the device's root qdisc and runs control work between bursts, as the forwarder's scheduler
/// does. No packet may be lost that Linux would keep: change keeps the queue, order is kept, every packet is sent,
/// counted as a drop, or still queued, and every buffer goes back to the pool.
/// </summary>
public sealed class LiveChangeTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"tc-core-live-{Guid.NewGuid():N}");
    private readonly QueueExecutor _executor = new();
    private readonly TcEngine _engine;
    private readonly NetDevice _port;
    private ControlServer? _server;

    public LiveChangeTests()
    {
        var devices = new DeviceTable();
        _port = new NetDevice("port0", 2) { IsUp = true, DefaultQdiscKind = "pfifo_fast" };
        devices.Add(_port);
        _engine = new TcEngine(devices, new SystemClock());
        _engine.Kernel.Activate(_port);
    }

    private string SocketPath => Path.Combine(_dir, "live.sock");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _server = new ControlServer(SocketPath, _engine, _executor);
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The datapath: bursts in, a smaller burst out (so a queue builds), control work in between.</summary>
    private sealed class Datapath(NetDevice port, QueueExecutor executor)
    {
        public long Enqueued;
        public long Sent;
        public long OutOfOrder;
        public volatile bool Stop;
        public Exception? Failure;
        public int PoolCount;
        public int PoolAvailableAtEnd;

        public void Run()
        {
            try
            {
                using var pool = new PacketPool(4096);
                pool.BindToCurrentThread();
                PoolCount = pool.Count;
                byte[] frame = new byte[200];
                frame[12] = 0x08;
                uint seq = 0;
                long lastSent = -1;
                var clock = new SystemClock();
                while (!Stop)
                {
                    executor.RunPending();
                    // Traffic starts once the test's root (1:) is in place: packets queued in the port's default
                    // qdisc before would be purged with it, outside the counts this test checks.
                    if (port.Root!.Handle != 0x0001_0000) continue;
                    TimeNs now = clock.Now;
                    for (int i = 0; i < 32; i++)
                    {
                        Packet? p = pool.Rent();
                        if (p is null) break;
                        p.Load(frame);
                        p.Meta.Cb[0] = seq++;
                        port.Root!.Enqueue(p, now);
                        Enqueued++;
                    }
                    for (int i = 0; i < 24; i++)
                    {
                        Packet? p = port.Root!.Dequeue(now);
                        if (p is null) break;
                        long s = p.Meta.Cb[0];
                        if (s <= lastSent) OutOfOrder++;
                        lastSent = s;
                        Sent++;
                        p.Free();
                    }
                }
                executor.RunPending();
                while (port.Root!.Dequeue(clock.Now) is { } p)
                {
                    Sent++;
                    p.Free();
                }
                PoolAvailableAtEnd = pool.Available;
            }
            catch (Exception ex)
            {
                Failure = ex;
            }
        }
    }

    [Fact]
    public async Task Changing_the_root_while_traffic_flows_keeps_every_packet_it_should()
    {
        // The datapath runs first: control work only happens at its safe points.
        var dp = new Datapath(_port, _executor);
        var thread = new Thread(dp.Run) { IsBackground = true };
        thread.Start();
        TcRunResult add = await ControlClient.RunAsync(SocketPath, ["qdisc", "add", "dev", "port0", "root", "handle", "1:", "pfifo", "limit", "3000"], TextReader.Null);
        Assert.Equal((0, ""), (add.ExitCode, add.Output.Combined));

        int queuedWhileChanging = 0;
        for (int i = 0; i < 40; i++)
        {
            // Lower and raise the limit: a lower limit drops nothing already queued (fifo_init()).
            string limit = i % 2 == 0 ? "50" : "3000";
            TcRunResult r = await ControlClient.RunAsync(SocketPath, ["qdisc", "change", "dev", "port0", "root", "pfifo", "limit", limit], TextReader.Null);
            Assert.Equal((0, ""), (r.ExitCode, r.Output.Combined));
            TcRunResult s = await ControlClient.RunAsync(SocketPath, ["-s", "qdisc", "show", "dev", "port0"], TextReader.Null);
            Assert.StartsWith("qdisc pfifo 1: root refcnt 2 limit", s.Stdout);
            queuedWhileChanging = Math.Max(queuedWhileChanging, _port.Root!.QueueLength);
        }
        dp.Stop = true;
        thread.Join();
        Assert.Null(dp.Failure);

        Qdisc root = _port.Root!;
        Assert.True(dp.Sent > 10_000, $"only {dp.Sent} packets flowed");
        Assert.True(queuedWhileChanging > 0, "the queue never held packets during a change");
        Assert.Equal(0, dp.OutOfOrder);
        Assert.Equal(dp.Enqueued, dp.Sent + root.Stats.Drops);            // sent or counted as a drop, nothing else
        Assert.Equal((ulong)dp.Sent, root.Stats.Packets);
        Assert.Equal(dp.PoolCount, dp.PoolAvailableAtEnd);                  // every buffer came back
    }

    [Fact]
    public async Task Replacing_the_root_while_traffic_flows_frees_the_old_queue_and_carries_on()
    {
        var dp = new Datapath(_port, _executor);
        var thread = new Thread(dp.Run) { IsBackground = true };
        thread.Start();
        await ControlClient.RunAsync(SocketPath, ["qdisc", "add", "dev", "port0", "root", "handle", "1:", "pfifo", "limit", "3000"], TextReader.Null);
        for (int i = 0; i < 20; i++)
        {
            string kind = i % 2 == 0 ? "bfifo" : "pfifo";
            TcRunResult r = await ControlClient.RunAsync(SocketPath, ["qdisc", "replace", "dev", "port0", "root", "handle", $"{i + 2:x}:", kind], TextReader.Null);
            Assert.Equal((0, ""), (r.ExitCode, r.Output.Combined));
        }
        TcRunResult del = await ControlClient.RunAsync(SocketPath, ["qdisc", "del", "dev", "port0", "root"], TextReader.Null);
        Assert.Equal(0, del.ExitCode);
        await Task.Delay(50);
        dp.Stop = true;
        thread.Join();

        Assert.Null(dp.Failure);
        Assert.Equal(0, dp.OutOfOrder);
        Assert.Equal("pfifo_fast", _port.Root!.Kind); // the port's default came back
        Assert.Equal(dp.PoolCount, dp.PoolAvailableAtEnd);
    }
}
