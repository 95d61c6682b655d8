using System.CommandLine;

namespace Forwarder.Cli;

/// <summary>Options shared by the forwarding commands.</summary>
internal static class CommonOptions
{
    public static Option<IoBackend> Io() => new("--io")
    {
        Description = "how to reach the interfaces: mmap (AF_PACKET rings, fastest) or pcap (libpcap)",
        HelpName = "mmap|pcap",
        DefaultValueFactory = _ => IoBackend.Mmap,
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "mmap";
            switch (text)
            {
                case "mmap": return IoBackend.Mmap;
                case "pcap": return IoBackend.Pcap;
                default:
                    r.AddError($"--io must be mmap or pcap, not '{text}'");
                    return IoBackend.Mmap;
            }
        },
    };

    public static Option<double> StatsInterval() => new("--stats-interval")
    {
        Description = "seconds between statistics lines (0: none, only the final summary)",
        DefaultValueFactory = _ => 1.0,
        Validators =
        {
            r =>
            {
                double v = r.GetValueOrDefault<double>();
                if (v < 0 || double.IsNaN(v) || v > 3600) r.AddError("--stats-interval must be between 0 and 3600 seconds");
            },
        },
    };

    public static Option<int> Nice() => new("--nice")
    {
        Description = "nice value for the datapath thread (-20..19; 0 leaves it alone); a higher priority keeps it " +
            "scheduled on a busy machine so that its receive ring does not overflow",
        DefaultValueFactory = _ => -5,
        Validators =
        {
            r =>
            {
                int v = r.GetValueOrDefault<int>();
                if (v is < -20 or > 19) r.AddError("--nice must be between -20 and 19");
            },
        },
    };

    public static Option<string> RxRing() => new("--rx-ring")
    {
        Description = "mmap io receive ring: frames (TPACKET_V2, each frame handed over as it lands: what shaping " +
            "and delay emulation need), blocks (TPACKET_V3, handed over per block or per jiffy: cheaper per packet for " +
            "plain forwarding) or auto (frames with --tc, blocks without)",
        DefaultValueFactory = _ => "auto",
        Validators =
        {
            r =>
            {
                string? v = r.GetValueOrDefault<string>();
                if (v is not ("frames" or "blocks" or "auto")) r.AddError("--rx-ring must be frames, blocks or auto");
            },
        },
    };

    public static Option<int> PoolPackets() => new("--pool-packets")
    {
        Description = "packet buffers to allocate (0: enough for every port's queues)",
        DefaultValueFactory = _ => 0,
        Validators =
        {
            r =>
            {
                int v = r.GetValueOrDefault<int>();
                if (v < 0 || v > 4_000_000) r.AddError("--pool-packets must be between 0 and 4000000");
            },
        },
    };

    public static Option<string> Name() => new("--name")
    {
        Description = "the instance name; \"forwarder tc --instance NAME\" reaches it through /run/forwarder/NAME.sock",
        DefaultValueFactory = _ => Control.ControlSocket.DefaultName,
        Validators =
        {
            r =>
            {
                string v = r.GetValueOrDefault<string>() ?? "";
                if (!Control.ControlSocket.IsValidName(v)) r.AddError($"--name must be letters, digits, '-', '_' or '.', not '{v}'");
            },
        },
    };

    public static Option<string?> TcBatch() => new("--tc")
    {
        Description = "a tc batch file (the lines of tc -batch) applied before traffic flows",
        HelpName = "FILE",
    };
}
