using Sched.Fast.Tc.Kernel;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tc.Show;

/// <summary>tc/tc_stab.c print_size_table(): the size table line of tc -d qdisc show.</summary>
public static class SizeTablePrinter
{
    public static void Print(TcWriter w, SizeTableSpec s)
    {
        w.OpenObject("stab");
        w.String(PrintTarget.Plain, null, " ", null);
        if (s.LinkLayer != 0) w.String(PrintTarget.Any, "linklayer", "linklayer %s ", LinkLayerName(s.LinkLayer));
        if (s.Overhead != 0) w.Int(PrintTarget.Any, "overhead", "overhead %d ", s.Overhead);
        if (s.Mpu != 0) w.Uint(PrintTarget.Any, "mpu", "mpu %u ", s.Mpu);
        if (s.Mtu != 0) w.Uint(PrintTarget.Any, "mtu", "mtu %u ", s.Mtu);
        if (s.TableSize != 0) w.Uint(PrintTarget.Any, "tsize", "tsize %u ", s.TableSize);
        w.CloseObject();
    }

    /// <summary>tc_util.c sprint_linklayer().</summary>
    public static string LinkLayerName(uint linkLayer) => linkLayer switch
    {
        0 => "unspec",
        1 => "ethernet",
        2 => "atm",
        _ => "unknown",
    };
}
