using Sched.Fast.Tc.Kernel;

namespace Sched.Fast.Tc.Commands;

/// <summary>tc/tc_stab.c parse_size_table(): "stab [ mtu N ] [ tsize N ] [ mpu N ] [ overhead N ] [ linklayer T ]".</summary>
public static class SizeTableParser
{
    private const string Help =
        "Usage: ... stab [ mtu BYTES ] [ tsize SLOTS ] [ mpu BYTES ]\n" +
        "                [ overhead BYTES ] [ linklayer TYPE ] ...\n" +
        "   mtu       : max packet size we create rate map for {2047}\n" +
        "   tsize     : how many slots should size table have {512}\n" +
        "   mpu       : minimum packet size used in rate computations\n" +
        "   overhead  : per-packet size overhead used in rate computations\n" +
        "   linklayer : adapting to a linklayer e.g. atm\n" +
        "Example: ... stab overhead 20 linklayer atm\n";

    /// <summary>
    /// Reads the options after the current "stab" word and leaves the cursor on the first word that is not one.
    /// False (tc's silent -1) for "help" or a table with nothing in it.
    /// </summary>
    public static bool Parse(TcArgs args, TcCommandContext context, out SizeTableSpec? spec)
    {
        spec = null;
        args.NextArg();
        if (args.Matches("help"))
        {
            context.Err(Help);
            return false;
        }
        var s = new SizeTableSpec();
        while (args.HasMore)
        {
            if (args.Matches("mtu"))
            {
                string v = args.NextArg();
                if (s.Mtu != 0) throw TcException.DuplicateArgument("mtu", v);
                if (!TcValues.TryGetU32(v, 10, out uint mtu)) throw TcException.InvalidArgument("mtu", "invalid mtu");
                s = s with { Mtu = mtu };
            }
            else if (args.Matches("mpu"))
            {
                string v = args.NextArg();
                if (s.Mpu != 0) throw TcException.DuplicateArgument("mpu", v);
                if (!TcValues.TryGetU32(v, 10, out uint mpu)) throw TcException.InvalidArgument("mpu", "invalid mpu");
                s = s with { Mpu = mpu };
            }
            else if (args.Matches("overhead"))
            {
                string v = args.NextArg();
                if (s.Overhead != 0) throw TcException.DuplicateArgument("overhead", v);
                if (!TcValues.TryGetInteger(v, 10, out int overhead))
                    throw TcException.InvalidArgument("overhead", "invalid overhead");
                s = s with { Overhead = overhead };
            }
            else if (args.Matches("tsize"))
            {
                string v = args.NextArg();
                if (s.TableSize != 0) throw TcException.DuplicateArgument("tsize", v);
                if (!TcValues.TryGetU32(v, 10, out uint tsize))
                    throw TcException.InvalidArgument("tsize", "invalid table size");
                s = s with { TableSize = tsize };
            }
            else if (args.Matches("linklayer"))
            {
                string v = args.NextArg();
                if (s.LinkLayer != SizeTableSpec.LinkLayerUnspec) throw TcException.DuplicateArgument("linklayer", v);
                if (!TryLinkLayer(v, out uint ll)) throw TcException.InvalidArgument("linklayer", "invalid linklayer");
                s = s with { LinkLayer = ll };
            }
            else
            {
                break;
            }
            args.Advance();
        }
        if (!s.IsEffective) return false;
        spec = s;
        return true;
    }

    /// <summary>tc_util.c get_linklayer().</summary>
    public static bool TryLinkLayer(string word, out uint linkLayer)
    {
        linkLayer = 0;
        if (TcArgs.IsPrefixOf(word, "ethernet")) linkLayer = SizeTableSpec.LinkLayerEthernet;
        else if (TcArgs.IsPrefixOf(word, "atm") || TcArgs.IsPrefixOf(word, "adsl")) linkLayer = SizeTableSpec.LinkLayerAtm;
        else return false;
        return true;
    }
}
