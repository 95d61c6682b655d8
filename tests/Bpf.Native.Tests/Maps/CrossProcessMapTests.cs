using System.Diagnostics;
using Bpf.Native.Elf;
using Bpf.Native.Maps;
using static Bpf.Native.Tests.Maps.MapTestKit;

namespace Bpf.Native.Tests.Maps;

/// <summary>
/// A pinned map used by two processes at once: this test process plays the forwarder (a "program" updating the
/// map through pointers, with insert/delete churn), the MapPeer tool plays another application that reattaches to
/// the pin to read statistics and write state. Both see each other's writes; neither stops the other.
/// </summary>
public sealed unsafe class CrossProcessMapTests : IDisposable
{
    private readonly string _directory = TempDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Another_process_reads_and_updates_a_pinned_hash_while_this_one_writes_it()
    {
        var store = new MapPinStore(_directory);
        BpfMap map = store.CreateOrOpen(new MapSpec
        {
            Name = "stats", Type = BpfMapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 1024, Pinning = MapPinning.ByName,
        });
        try
        {
            Assert.Equal(0, Put(map, 1, 0));
            Assert.Equal(0, Put(map, 3, 777));
            const int increments = 200_000;

            using Process peer = StartPeer(map.PinPath!,
                "read", "3",
                "counter-add", "1", increments.ToString(),
                "churn", "6000", "100", "50",
                "write", "2", "42",
                "wait-for", "4", "99", "60000");

            bool churnFailed = false;
            var program = new Thread(() =>
            {
                uint counter = 1;
                for (int i = 0; i < increments; i++)
                {
                    Interlocked.Increment(ref *(ulong*)map.Lookup((byte*)&counter));
                    if (i % 1000 == 0)
                    {
                        for (uint key = 5000; key < 5100; key++)
                        {
                            churnFailed |= Put(map, key, key) != 0;
                        }
                        for (uint key = 5000; key < 5100; key++)
                        {
                            churnFailed |= Remove(map, key) != 0;
                        }
                    }
                }
            });
            program.Start();

            var deadline = Stopwatch.StartNew();
            while (Read(map, 2) != 42 && deadline.Elapsed < TimeSpan.FromSeconds(60) && !peer.HasExited)
            {
                Thread.Sleep(1);
            }
            Assert.Equal(42UL, Read(map, 2)); // the other process's write, seen here
            Assert.Equal(0, map.UpdateElement(U32(4), U64(99))); // and ours, which it waits for

            program.Join();
            string output = peer.StandardOutput.ReadToEnd();
            Assert.True(peer.WaitForExit(60_000), "peer did not finish");
            Assert.True(peer.ExitCode == 0, $"peer failed ({peer.ExitCode}): {output} {peer.StandardError.ReadToEnd()}");
            Assert.Equal(["777", "added", "churned", "written", "seen"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.False(churnFailed);
            Assert.Equal(2UL * increments, Read(map, 1)); // atomic adds from both processes on one shared value
            Assert.Equal(4, ((HashMap)map).Count);     // keys 1..4; all churn keys of both processes deleted
        }
        finally
        {
            MapPinStore.ForgetProcessPin(map.PinPath!);
            map.Dispose();
        }
    }

    [Fact]
    public void Another_process_consumes_a_pinned_ring_buffer_while_this_one_produces()
    {
        var store = new MapPinStore(_directory);
        var ring = (RingBufMap)store.CreateOrOpen(new MapSpec
        {
            Name = "events", Type = BpfMapType.RingBuf, MaxEntries = 4096, Pinning = MapPinning.ByName,
        });
        try
        {
            const int records = 20_000; // far more than fit at once: the producer waits for the other process
            using Process peer = StartPeer(ring.PinPath!, "ring-consume", records.ToString(), "60000");
            ulong sum = 0;
            var deadline = Stopwatch.StartNew();
            for (ulong value = 1; value <= records && deadline.Elapsed < TimeSpan.FromSeconds(60);)
            {
                if (ring.Output((byte*)&value, 8, 0) == 0)
                {
                    sum += value++;
                }
                else
                {
                    Thread.Yield(); // full: the consumer in the other process frees room
                }
            }
            string output = peer.StandardOutput.ReadToEnd();
            Assert.True(peer.WaitForExit(60_000), "peer did not finish");
            Assert.Equal($"{records} {sum}", output.Trim());
        }
        finally
        {
            MapPinStore.ForgetProcessPin(ring.PinPath!);
            ring.Dispose();
        }
    }

    private static Process StartPeer(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(PeerPath());
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }

    /// <summary>The MapPeer built next to this test assembly's configuration (tests/Bpf.Native.MapPeer/bin/CONFIG/TFM).</summary>
    private static string PeerPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name;
        string configuration = output.Parent!.Name;
        string tests = Path.GetDirectoryName(Elf.FixtureObjects.SourceDirectory)!;
        string path = Path.Combine(Path.GetDirectoryName(tests)!, "Bpf.Native.MapPeer", "bin", configuration, framework,
            "Bpf.Native.MapPeer.dll");
        Assert.True(File.Exists(path), $"MapPeer is not built at {path}");
        return path;
    }
}
