namespace Forwarder.Tests.EndToEnd;

/// <summary>
/// A VLAN-tagged frame crosses the bridge with its tag: veth strips the tag into metadata on receive (rxvlan
/// offload, TP_STATUS_VLAN_VALID for AF_PACKET; libpcap re-inserts it), the forwarder keeps it in packet metadata, and
/// puts it back on transmit. trafgen sends the tagged frames, tcpdump in ns sink checks what arrives.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class VlanEndToEndTests
{
    [RootTheory]
    [InlineData("mmap")]
    [InlineData("pcap")]
    public void A_tagged_frame_leaves_with_its_tag(string io)
    {
        using var lab = new Lab();
        using ForwarderProcess fwd = ForwarderProcess.Start(lab.Topology.Fwd, "forwarder: bridging",
            "bridge", "f0", "f1", "--io", io, "--stats-interval", "0", "--name", lab.Prefix + "fwd");
        fwd.WaitReady(TimeSpan.FromSeconds(60));
        using ForwarderProcess capture = ForwarderProcess.StartProgram(lab.Topology.Sink, "listening on",
            "tcpdump", "-i", "s0", "-e", "-n", "-l", "-c", "3", "vlan 100");
        capture.WaitReady(TimeSpan.FromSeconds(20));
        string conf = Path.Combine(Path.GetTempPath(), $"fnd-vlan-{Environment.ProcessId}-{io}.trafgen");
        File.WriteAllText(conf, "{ eth(da=02:00:00:00:00:02, sa=02:00:00:00:00:01), vlan(id=100, pcp=3), " +
            "ipv4(saddr=198.18.0.1, daddr=198.18.0.2, ttl=64), udp(sp=1000, dp=9), fill(0x41, 18) }");
        try
        {
            ProcessResult sent = lab.Exec(lab.Topology.Gen, TimeSpan.FromSeconds(30),
                "trafgen", "--dev", "g0", "--conf", conf, "-n", "3", "-q");
            Assert.True(sent.ExitCode == 0, sent.All);
            Assert.Equal(0, capture.WaitForExit(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            File.Delete(conf);
        }
        Assert.Contains("vlan 100, p 3", capture.Output);
        Assert.Contains("198.18.0.1.1000 > 198.18.0.2.9: UDP", capture.Output);
        Assert.Equal(0, fwd.Interrupt(TimeSpan.FromSeconds(20)));
    }
}
