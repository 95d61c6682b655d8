using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Tc.Output;
using Sched.Fast.Tc.Show;

namespace Sched.Fast.Tc.Commands;

/// <summary>
/// "tc qdisc" (tc/tc_qdisc.c): add, change, replace, link, delete and show, word for word as iproute2 6.1 parses
/// them, sent to the <see cref="SchedApi"/> as the netlink request tc would build.
/// </summary>
public sealed class QdiscCommand : ITcObjectCommand
{
    private const string UsageText =
        "Usage: tc qdisc [ add | del | replace | change | show ] dev STRING\n" +
        "       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]\n" +
        "       [ estimator INTERVAL TIME_CONSTANT ]\n" +
        "       [ stab [ help | STAB_OPTIONS] ]\n" +
        "       [ ingress_block BLOCK_INDEX ] [ egress_block BLOCK_INDEX ]\n" +
        "       [ [ QDISC_KIND ] [ help | OPTIONS ] ]\n" +
        "\n" +
        "       tc qdisc { show | list } [ dev STRING ] [ QDISC_ID ] [ invisible ]\n" +
        "Where:\n" +
        "QDISC_KIND := { [p|b]fifo | tbf | prio | cbq | red | etc. }\n" +
        "OPTIONS := ... try tc qdisc add <desired QDISC_KIND> help\n" +
        "STAB_OPTIONS := ... try tc qdisc add stab help\n" +
        "QDISC_ID := { root | ingress | handle QHANDLE | parent CLASSID }\n";

    /// <summary>tc_qdisc.c's file-scope show filters, which outlive a batch line.</summary>
    private sealed class ShowFilters
    {
        public int IfIndex;
        public uint Parent;
        public uint Handle;
    }

    public string Name => "qdisc";

    /// <summary>do_qdisc().</summary>
    public int Run(TcArgs args, TcCommandContext context)
    {
        if (!args.HasMore) return List(args, context);
        if (args.Matches("add")) return Modify(args.Skip(), context, false, NetlinkFlags.Exclusive | NetlinkFlags.Create);
        if (args.Matches("change")) return Modify(args.Skip(), context, false, NetlinkFlags.None);
        if (args.Matches("replace")) return Modify(args.Skip(), context, false, NetlinkFlags.Create | NetlinkFlags.Replace);
        if (args.Matches("link")) return Modify(args.Skip(), context, false, NetlinkFlags.Replace);
        if (args.Matches("delete")) return Modify(args.Skip(), context, true, NetlinkFlags.None);
        if (args.Matches("list") || args.Matches("show") || args.Matches("lst")) return List(args.Skip(), context);
        if (args.Matches("help"))
        {
            context.Err(UsageText);
            return 0;
        }
        context.Err($"Command \"{args.Current}\" is unknown, try \"tc qdisc help\".\n");
        return -1;
    }

    /// <summary>tc_qdisc_modify().</summary>
    private static int Modify(TcArgs args, TcCommandContext context, bool delete, NetlinkFlags flags)
    {
        string dev = "";
        uint handle = 0, parent = 0, ingressBlock = 0, egressBlock = 0;
        string kindName = "";
        bool kindGiven = false;
        EstimatorSpec? estimator = null;
        SizeTableSpec? stab = null;

        while (args.HasMore)
        {
            string w = args.Current;
            if (w == "dev")
            {
                dev = TcWords.Device(args, dev);
            }
            else if (w == "handle")
            {
                if (handle != 0) throw TcException.DuplicateArgument("handle", w);
                string value = args.NextArg();
                if (!TcHandle.TryParseQdiscHandle(value, out handle))
                    throw TcException.InvalidArgument("invalid qdisc ID", value);
            }
            else if (w == "root")
            {
                if (parent != 0) return Fail(context, "Error: \"root\" is duplicate parent ID");
                parent = TcHandle.Root;
            }
            else if (w == "clsact" || w == "ingress")
            {
                if (parent != 0) return Fail(context, $"Error: \"{w}\" is a duplicate parent ID");
                parent = TcHandle.Ingress;
                kindName = w;
                kindGiven = true;
                handle = TcHandle.IngressMajor;
                args.Advance();
                break;
            }
            else if (w == "parent")
            {
                string value = args.NextArg();
                if (parent != 0) throw TcException.DuplicateArgument("parent", value);
                if (!TcHandle.TryParseClassId(value, out parent))
                    throw TcException.InvalidArgument("invalid parent ID", value);
            }
            else if (args.Matches("estimator"))
            {
                if (!EstimatorParser.Parse(args, context, ref estimator)) return -1;
            }
            else if (args.Matches("stab"))
            {
                if (!SizeTableParser.Parse(args, context, out stab)) return -1;
                continue;
            }
            else if (args.Matches("ingress_block"))
            {
                string value = args.NextArg();
                if (!TcValues.TryGetU32(value, 0, out ingressBlock) || ingressBlock == 0)
                    throw TcException.InvalidArgument("invalid ingress block index value", value);
            }
            else if (args.Matches("egress_block"))
            {
                string value = args.NextArg();
                if (!TcValues.TryGetU32(value, 0, out egressBlock) || egressBlock == 0)
                    throw TcException.InvalidArgument("invalid egress block index value", value);
            }
            else if (args.Matches("help"))
            {
                // usage() prints and tc_qdisc_modify() carries on with the next word.
                context.Err(UsageText);
            }
            else
            {
                kindName = TcWords.Truncate(w);
                kindGiven = true;
                args.Advance();
                break;
            }
            args.Advance();
        }

        QdiscSpec? options = null;
        if (kindGiven)
        {
            QdiscKind? kind = QdiscKinds.Find(kindName);
            if (kind is null)
            {
                // get_qdisc_kind()'s stand-in for kinds tc does not know: no options allowed.
                if (args.HasMore)
                {
                    context.Err($"Unknown qdisc \"{kindName}\", hence option \"{args.Current}\" is unparsable\n");
                    return 1;
                }
            }
            else if (!kind.HasOptionParser)
            {
                if (args.HasMore) return Fail(context, $"qdisc '{kindName}' does not support option parsing");
            }
            else
            {
                try
                {
                    options = kind.ParseOptions(args, context.ParseContext(dev));
                }
                catch (TcException ex) when (!ex.Exits)
                {
                    context.Err(ex.Message + "\n");
                    return 1;
                }
            }
        }

        if (stab is not null && stab.IsEffective) stab = stab.Calculate();
        else stab = null;

        if (!context.TryFindIfIndex(dev, out int ifIndex)) return 1;

        var req = new QdiscRequest
        {
            Flags = flags,
            IfIndex = ifIndex,
            Parent = parent,
            Handle = handle,
            Kind = kindGiven ? kindName : null,
            Options = options,
            Estimator = estimator,
            SizeTable = stab,
            IngressBlock = ingressBlock,
            EgressBlock = egressBlock,
        };
        if (delete) context.Kernel.DeleteQdisc(req);
        else context.Kernel.ModifyQdisc(req);
        return 0;
    }

    /// <summary>tc_qdisc_list() and print_qdisc().</summary>
    private static int List(TcArgs args, TcCommandContext context)
    {
        ShowFilters f = context.Statics<ShowFilters>();
        string dev = "";
        bool dumpInvisible = false;
        while (args.HasMore)
        {
            string w = args.Current;
            if (w == "dev")
            {
                dev = TcWords.Truncate(args.NextArg());
            }
            else if (w == "root")
            {
                CheckNoFilter(f, w);
                f.Parent = TcHandle.Root;
            }
            else if (w == "ingress" || w == "clsact")
            {
                CheckNoFilter(f, w);
                f.Parent = TcHandle.Ingress;
            }
            else if (args.Matches("parent"))
            {
                CheckNoFilter(f, w);
                string value = args.NextArg();
                if (!TcHandle.TryParseClassId(value, out uint p)) throw TcException.InvalidArgument("invalid parent ID", value);
                f.Parent = p;
            }
            else if (args.Matches("handle"))
            {
                CheckNoFilter(f, w);
                string value = args.NextArg();
                if (!TcHandle.TryParseQdiscHandle(value, out uint h)) throw TcException.InvalidArgument("invalid handle ID", value);
                f.Handle = h;
            }
            else if (args.Matches("help"))
            {
                context.Err(UsageText);
            }
            else if (w == "invisible")
            {
                dumpInvisible = true;
            }
            else
            {
                context.Err($"What is \"{w}\"? Try \"tc qdisc help\".\n");
                return -1;
            }
            args.Advance();
        }

        if (dev.Length > 0)
        {
            NetDevice? device = context.FindDevice(dev);
            if (device is null) return -context.NoDevice(dev);
            f.IfIndex = device.IfIndex;
        }

        context.Kernel.TickEstimators(context.Clock.Now);
        TcWriter w2 = context.NewWriter();
        w2.BeginDocument();
        foreach (QdiscDump d in context.Kernel.DumpQdiscs(dumpInvisible))
        {
            if (f.IfIndex != 0 && f.IfIndex != d.IfIndex) continue;
            if (f.Handle != 0 && f.Handle != d.Handle) continue;
            if (f.Parent != 0 && f.Parent != d.Parent) continue;
            QdiscPrinter.Print(w2, d, showDevice: f.IfIndex == 0);
        }
        w2.EndDocument();
        context.Out(w2.ToString());
        return 0;
    }

    private static void CheckNoFilter(ShowFilters f, string word)
    {
        if (f.Parent != 0) throw TcException.InvalidArgument("parent is already specified", word);
        if (f.Handle != 0) throw TcException.InvalidArgument("handle is already specified", word);
    }

    private static int Fail(TcCommandContext context, string message)
    {
        context.Err(message + "\n");
        return -1;
    }
}
