using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Commands;

namespace Forwarder.Perf.Classifiers;

/// <summary>
/// One classification of an IPv4/UDP packet by a qdisc's filter block (tcf_classify()), configured with tc
/// commands through the tc engine: ns/packet and B/op per setup.
/// Run: dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*ClassifierBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    /// <summary>The filter setups measured, each a list of tc commands after "qdisc add dev t0 root handle 1: htb".</summary>
    public static readonly Dictionary<string, string[]> Setups = new()
    {
        // One u32 node with two keys (address and port): the common "match ip src ... match ip dport ..." rule.
        ["u32-1"] =
        [
            "filter add dev t0 parent 1: protocol ip prio 1 u32 match ip src 198.18.0.1/32 match ip dport 2000 0xffff flowid 1:10",
        ],
        // Twenty nodes in the root table, the packet matching the last: a linear rule list.
        ["u32-20"] = Enumerable.Range(0, 20).Select(i =>
            $"filter add dev t0 parent 1: protocol ip prio 1 u32 match ip src 198.18.1.{i}/32 match ip dport 2000 0xffff flowid 1:{i + 1:x}")
            .Append("filter add dev t0 parent 1: protocol ip prio 1 u32 match ip src 198.18.0.1/32 match ip dport 2000 0xffff flowid 1:99")
            .ToArray(),
        // Two levels: the root node checks the protocol, computes the header length, hashes the source address
        // into a 256-bucket table and moves to the transport header, where a node matches the port.
        ["u32-hash"] =
        [
            "filter add dev t0 parent 1: prio 1 handle 2: protocol ip u32 divisor 256",
            "filter add dev t0 parent 1: protocol ip prio 1 u32 ht 2:1: match udp dst 2000 0xffff flowid 1:10",
            "filter add dev t0 parent 1: protocol ip prio 1 u32 ht 800:: match ip protocol 17 0xff offset at 0 mask 0x0f00 shift 6 eat hashkey mask 0x000000ff at 12 link 2:",
        ],
        // A u32 rule with an action.
        ["u32+gact"] =
        [
            "filter add dev t0 parent 1: protocol ip prio 1 u32 match ip dport 2000 0xffff flowid 1:10 action gact pass",
        ],
        ["matchall"] = ["filter add dev t0 parent 1: protocol all prio 1 matchall classid 1:10"],
        // basic with three ematches (cmp at the transport layer, meta on the mark, nbyte on the address).
        ["basic-3em"] =
        [
            "filter add dev t0 parent 1: protocol ip prio 1 basic match 'cmp(u16 at 2 layer transport eq 2000) and meta(nf_mark eq 5) and nbyte(\"\\xc6\\x12\" at 12)' classid 1:10",
        ],
        // A miss: no filter matches (u32 node with a key that fails).
        ["u32-miss"] =
        [
            "filter add dev t0 parent 1: protocol ip prio 1 u32 match ip src 198.18.9.9/32 flowid 1:10",
        ],
    };

    private PacketPool _pool = null!;
    private Packet _packet = null!;
    private FilterBlock _block = null!;

    [Params("u32-1", "u32-20", "u32-hash", "u32+gact", "matchall", "basic-3em", "u32-miss")]
    public string Setup { get; set; } = "u32-1";

    [GlobalSetup]
    public void GlobalSetup()
    {
        var devices = new DeviceTable();
        devices.Add(new NetDevice("t0", 7));
        var engine = new TcEngine(devices);
        foreach (string line in Setups[Setup].Prepend("qdisc add dev t0 root handle 1: htb"))
        {
            TcRunResult r = engine.Run(TcTokenizer.Split(line));
            if (r.ExitCode != 0) throw new InvalidOperationException($"tc {line}: {r.Stderr}");
        }
        _block = ((Sched.Fast.Qdiscs.ClassfulQdisc)engine.Kernel.Lookup(devices.Find("t0")!, 0x10000)!).Filters;
        _pool = new PacketPool(4);
        _packet = _pool.Rent()!;
        _packet.Load(Frame());
        _packet.Protocol = 0x0800;
        _packet.Mark = 5;
        var result = new ClassifyResult();
        int verdict = _block.Classify(_packet, ref result);
        bool expectMatch = Setup != "u32-miss";
        if ((verdict >= 0) != expectMatch) throw new InvalidOperationException($"{Setup}: verdict {verdict}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _packet.Free();
        _pool.Dispose();
    }

    [Benchmark]
    public int Classify()
    {
        var result = new ClassifyResult();
        return _block.Classify(_packet, ref result);
    }

    /// <summary>Ethernet + IPv4 198.18.0.1 -> 198.18.0.2 + UDP 1000 -> 2000, 60 bytes.</summary>
    private static byte[] Frame()
    {
        var f = new byte[60];
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);
        f[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), 46);
        f[22] = 64;
        f[23] = 17;
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(26), 0xC612_0001);
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(30), 0xC612_0002);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(34), 1000);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(36), 2000);
        return f;
    }
}
