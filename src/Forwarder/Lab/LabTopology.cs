namespace Forwarder.Lab;

/// <summary>
/// The three-namespace lab of shared/bench/lab.sh: ns gen [g0 198.18.0.1/24] --veth-- [f0] ns fwd [f1] --veth--
/// [s0 198.18.0.2/24] ns sink. The forwarder runs in ns fwd between f0 and f1. Names take an optional prefix (like
/// lab.sh's LAB_PREFIX) so that several labs can coexist. Addresses are from 198.18.0.0/15 (RFC 2544).
/// </summary>
public sealed class LabTopology
{
    public const string GenAddress = "198.18.0.1";
    public const string SinkAddress = "198.18.0.2";

    public LabTopology(string prefix = "")
    {
        Prefix = prefix;
    }

    public string Prefix { get; }
    public string Gen => Prefix + "gen";
    public string Fwd => Prefix + "fwd";
    public string Sink => Prefix + "sink";
    public IEnumerable<string> Namespaces => [Gen, Fwd, Sink];

    /// <summary>The prefix from LAB_PREFIX, as lab.sh reads it.</summary>
    public static string DefaultPrefix => Environment.GetEnvironmentVariable("LAB_PREFIX") ?? "";

    /// <summary>Builds the lab (replacing one of the same names). Offloads on is the veth default: GRO, TSO, checksum offload.</summary>
    public void Up(bool offloads = true)
    {
        Down();
        try
        {
            foreach (string ns in Namespaces)
            {
                Shell.Check("ip", "netns", "add", ns);
                Shell.Check("ip", "-n", ns, "link", "set", "lo", "up");
            }
            Shell.Check("ip", "link", "add", "g0", "netns", Gen, "type", "veth", "peer", "name", "f0", "netns", Fwd);
            Shell.Check("ip", "link", "add", "f1", "netns", Fwd, "type", "veth", "peer", "name", "s0", "netns", Sink);
            foreach (string d in new[] { "f0", "f1" })
                Shell.Try("ip", "netns", "exec", Fwd, "sysctl", "-qw", $"net.ipv6.conf.{d}.disable_ipv6=1");
            Shell.Check("ip", "-n", Gen, "link", "set", "g0", "up");
            Shell.Check("ip", "-n", Fwd, "link", "set", "f0", "up");
            Shell.Check("ip", "-n", Fwd, "link", "set", "f1", "up");
            Shell.Check("ip", "-n", Sink, "link", "set", "s0", "up");
            Shell.Check("ip", "-n", Gen, "addr", "add", GenAddress + "/24", "dev", "g0");
            Shell.Check("ip", "-n", Sink, "addr", "add", SinkAddress + "/24", "dev", "s0");
            WaitForCarrier();
            if (!offloads)
            {
                foreach ((string ns, string dev) in new[] { (Gen, "g0"), (Fwd, "f0"), (Fwd, "f1"), (Sink, "s0") })
                    Shell.Check("ip", "netns", "exec", ns, "ethtool", "-K", dev, "gro", "off", "gso", "off", "tso", "off", "tx", "off", "rx", "off");
            }
        }
        catch
        {
            Down();
            throw;
        }
    }

    /// <summary>veth carriers come up asynchronously (linkwatch); wait until all four ends report LOWER_UP.</summary>
    private void WaitForCarrier()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        foreach ((string ns, string dev) in new[] { (Gen, "g0"), (Fwd, "f0"), (Fwd, "f1"), (Sink, "s0") })
        {
            while (!Shell.Run("ip", ["-n", ns, "link", "show", "dev", dev]).Output.Contains("LOWER_UP", StringComparison.Ordinal))
            {
                if (DateTime.UtcNow > deadline) throw new LabException($"{dev} in {ns} did not come up");
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>Removes the namespaces (and with them the veths); quiet when they do not exist.</summary>
    public void Down()
    {
        foreach (string ns in Namespaces) Shell.Try("ip", "netns", "del", ns);
    }

    /// <summary>Whether all three namespaces exist.</summary>
    public bool Exists()
    {
        Shell.Result r = Shell.Run("ip", ["netns", "list"]);
        var names = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToHashSet();
        return Namespaces.All(names.Contains);
    }
}
