using System.Text.RegularExpressions;
using Forwarder.Ports;
using Forwarder.Tests.EndToEnd;
using Sched.Fast.Classifiers;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Time;
using DatapathEngine = Forwarder.Datapath.Datapath;

namespace Forwarder.Tests.Bpf;

/// <summary>
/// The mission's toy classifier end to end, in the namespace lab: the forwarder bridges f0 and f1 (its ports opened
/// inside the lab's fwd namespace), f1's root is "htb default 1" with classes 800:1, 800:4, 800:8 and 800:2c, and the
/// seed classifier (cls.o, built with its exact command) is attached as tc attaches "filter add dev f1 parent 800:
/// bpf obj cls.o sec classify". Pings from gen to sink with TOS 4, 8 and 0x2c must land in the class of their TOS:
/// "tc -s class show dev f1" (through the instance's tc engine) counts them there.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ToyClassifierLabTests
{
    private static readonly byte[] s_tosValues = [0x04, 0x08, 0x2c];
    private const int PingsPerTos = 3;

    [RootFact]
    public async Task Traffic_of_tos_x_lands_in_class_800_x()
    {
        using var lab = new EndToEnd.Lab();
        using var pool = new PacketPool(8192, 4096);
        var ports = NetworkNamespace.Enter(lab.Topology.Fwd, () => new IPort[]
        {
            MmapPort.Open("f0", pool, receive: true),
            MmapPort.Open("f1", pool, receive: true),
        });
        using var datapath = new DatapathEngine(ports, [1, 0], SystemClock.Instance);
        var tc = new TcEngine(datapath.Devices);
        try
        {
            // The datapath thread checks its links with ioctls on new sockets: it must live in the namespace too
            // (a thread starts in its creator's namespace).
            NetworkNamespace.Enter(lab.Topology.Fwd, () =>
            {
                datapath.Start();
                return true;
            });
            string config =
                "qdisc add dev f1 root handle 800: htb default 1\n" +
                "class add dev f1 parent 800: classid 800:1 htb rate 100mbit\n" +
                "class add dev f1 parent 800: classid 800:4 htb rate 100mbit\n" +
                "class add dev f1 parent 800: classid 800:8 htb rate 100mbit\n" +
                "class add dev f1 parent 800: classid 800:2c htb rate 100mbit\n";
            foreach (string line in config.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                TcRunResult r = await datapath.InvokeAsync(() => tc.Run(TcTokenizer.Split(line))).WaitAsync(TimeSpan.FromSeconds(30));
                Assert.True(r.ExitCode == 0, $"{line}: {r.Output.Combined}");
            }
            await datapath.InvokeAsync(() => AttachSeed(datapath)).WaitAsync(TimeSpan.FromSeconds(30));

            foreach (byte tos in s_tosValues)
            {
                ProcessResult ping = lab.Exec(lab.Topology.Gen, TimeSpan.FromSeconds(30),
                    "ping", "-c", PingsPerTos.ToString(), "-i", "0.2", "-w", "10", "-Q", $"0x{tos:x}", LabTopologySink);
                Assert.True(ping.ExitCode == 0, $"ping with TOS 0x{tos:x} failed:\n{ping.All}");
            }

            TcRunResult show = await datapath.InvokeAsync(() => tc.Run(["-s", "class", "show", "dev", "f1"])).WaitAsync(TimeSpan.FromSeconds(30));
            string text = show.Stdout;
            foreach (byte tos in s_tosValues)
            {
                Assert.Equal((ulong)PingsPerTos, SentPackets(text, $"800:{tos:x}"));
            }
            // Everything else (ARP, IPv6 neighbour traffic) took the default class.
            Assert.True(SentPackets(text, "800:1") >= 1, text);
        }
        finally
        {
            datapath.Stop();
            foreach (IPort p in ports) p.Dispose();
        }
    }

    /// <summary>
    /// The same through the program as users run it: <c>forwarder bridge f0 f1 --tc FILE</c> in the fwd namespace
    /// (the file holding the htb tree and "filter add dev f1 parent 800: bpf obj cls.o sec classify"), and
    /// <c>forwarder tc -s class show dev f1</c> through the instance's control socket.
    /// </summary>
    [RootFact]
    public void The_forwarder_program_classifies_by_tos_with_the_seed_from_a_tc_file()
    {
        using var lab = new EndToEnd.Lab();
        string name = lab.Prefix + "fwd";
        string file = Path.Combine(Path.GetTempPath(), $"{name}.tc");
        File.WriteAllText(file,
            "qdisc add dev f1 root handle 800: htb default 1\n" +
            "class add dev f1 parent 800: classid 800:1 htb rate 100mbit\n" +
            "class add dev f1 parent 800: classid 800:4 htb rate 100mbit\n" +
            "class add dev f1 parent 800: classid 800:8 htb rate 100mbit\n" +
            "class add dev f1 parent 800: classid 800:2c htb rate 100mbit\n" +
            $"filter add dev f1 parent 800: bpf obj {BpfFixtureObjects.Path("cls.o")} sec classify\n");
        try
        {
            using ForwarderProcess fwd = ForwarderProcess.Start(lab.Topology.Fwd, "forwarder: bridging",
                "bridge", "f0", "f1", "--stats-interval", "0", "--name", name, "--tc", file);
            fwd.WaitReady(TimeSpan.FromSeconds(60));
            foreach (byte tos in s_tosValues)
            {
                ProcessResult ping = lab.Exec(lab.Topology.Gen, TimeSpan.FromSeconds(30),
                    "ping", "-c", PingsPerTos.ToString(), "-i", "0.2", "-w", "10", "-Q", $"0x{tos:x}", LabTopologySink);
                Assert.True(ping.ExitCode == 0, $"ping with TOS 0x{tos:x} failed:\n{ping.All}\n{fwd.Output}");
            }
            ProcessResult show = ForwarderProcess.Run(null, TimeSpan.FromSeconds(30), "tc", "--instance", name, "-s", "class", "show", "dev", "f1");
            Assert.True(show.ExitCode == 0, show.All);
            foreach (byte tos in s_tosValues)
            {
                Assert.Equal((ulong)PingsPerTos, SentPackets(show.Output, $"800:{tos:x}"));
            }
            ProcessResult filters = ForwarderProcess.Run(null, TimeSpan.FromSeconds(30), "tc", "--instance", name, "filter", "show", "dev", "f1");
            Assert.Matches(@"filter parent 800: protocol all pref 49152 bpf chain 0 handle 0x1 cls\.o:\[classify\] not_in_hw id \d+ name cls_main tag 6bb4e9a61a2e732b jited", filters.Output);
            Assert.Equal(0, fwd.Interrupt(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private const string LabTopologySink = Forwarder.Lab.LabTopology.SinkAddress;

    /// <summary>What "tc filter add dev f1 parent 800: bpf obj cls.o sec classify" does to f1's qdisc.</summary>
    private static bool AttachSeed(DatapathEngine datapath)
    {
        var f1 = datapath.Devices.Find("f1")!;
        var htb = (ClassfulQdisc)f1.Root!;
        FilterRequest request = new BpfKind().ParseOptions(null,
            TcArgs.Parse($"obj {BpfFixtureObjects.Path("cls.o")} sec classify"), datapath.Devices);
        FilterChain chain = htb.Filters.GetOrCreateChain(0);
        Classifier tp = new BpfKind().Create(49152, EtherTypes.All, chain, new FilterNamespace(datapath.Devices));
        chain.Insert(tp);
        tp.Change(new FilterChange { Options = request.Options });
        return true;
    }

    /// <summary>The packet count of "class htb CLASSID ...\n Sent N bytes P pkt" in tc's output.</summary>
    private static ulong SentPackets(string text, string classId)
    {
        Match m = Regex.Match(text, $@"class htb {Regex.Escape(classId)} [^\n]*\n Sent \d+ bytes (\d+) pkt");
        Assert.True(m.Success, $"class {classId} not in:\n{text}");
        return ulong.Parse(m.Groups[1].Value);
    }
}
