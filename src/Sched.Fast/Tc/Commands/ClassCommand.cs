using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Tc.Output;
using Sched.Fast.Tc.Show;

namespace Sched.Fast.Tc.Commands;

/// <summary>"tc class" (tc/tc_class.c): add, change, replace, delete and show.</summary>
public sealed class ClassCommand : ITcObjectCommand
{
    private const string UsageText =
        "Usage: tc class [ add | del | change | replace | show ] dev STRING\n" +
        "       [ classid CLASSID ] [ root | parent CLASSID ]\n" +
        "       [ [ QDISC_KIND ] [ help | OPTIONS ] ]\n" +
        "\n" +
        "       tc class show [ dev STRING ] [ root | parent CLASSID ]\n" +
        "Where:\n" +
        "QDISC_KIND := { prio | cbq | etc. }\n" +
        "OPTIONS := ... try tc class add <desired QDISC_KIND> help\n";

    /// <summary>tc_class.c's file-scope filter_ifindex, which outlives a batch line.</summary>
    private sealed class ShowFilters
    {
        public int IfIndex;
    }

    public string Name => "class";

    /// <summary>do_class().</summary>
    public int Run(TcArgs args, TcCommandContext context)
    {
        if (!args.HasMore) return List(args, context);
        if (args.Matches("add")) return Modify(args.Skip(), context, false, NetlinkFlags.Exclusive | NetlinkFlags.Create);
        if (args.Matches("change")) return Modify(args.Skip(), context, false, NetlinkFlags.None);
        if (args.Matches("replace")) return Modify(args.Skip(), context, false, NetlinkFlags.Create);
        if (args.Matches("delete")) return Modify(args.Skip(), context, true, NetlinkFlags.None);
        if (args.Matches("list") || args.Matches("show") || args.Matches("lst")) return List(args.Skip(), context);
        if (args.Matches("help"))
        {
            context.Err(UsageText);
            return 0;
        }
        context.Err($"Command \"{args.Current}\" is unknown, try \"tc class help\".\n");
        return -1;
    }

    /// <summary>tc_class_modify().</summary>
    private static int Modify(TcArgs args, TcCommandContext context, bool delete, NetlinkFlags flags)
    {
        string dev = "";
        uint classId = 0, parent = 0;
        string kindName = "";
        bool kindGiven = false;
        EstimatorSpec? estimator = null;

        while (args.HasMore)
        {
            string w = args.Current;
            if (w == "dev")
            {
                dev = TcWords.Device(args, dev);
            }
            else if (w == "classid")
            {
                string value = args.NextArg();
                if (classId != 0) throw TcException.DuplicateArgument("classid", value);
                if (!TcHandle.TryParseClassId(value, out classId)) throw TcException.InvalidArgument("invalid class ID", value);
            }
            else if (w == "handle")
            {
                context.Err("Error: try \"classid\" instead of \"handle\"\n");
                return -1;
            }
            else if (w == "root")
            {
                if (parent != 0)
                {
                    context.Err("Error: \"root\" is duplicate parent ID.\n");
                    return -1;
                }
                parent = TcHandle.Root;
            }
            else if (w == "parent")
            {
                string value = args.NextArg();
                if (parent != 0) throw TcException.DuplicateArgument("parent", value);
                if (!TcHandle.TryParseClassId(value, out parent)) throw TcException.InvalidArgument("invalid parent ID", value);
            }
            else if (args.Matches("estimator"))
            {
                if (!EstimatorParser.Parse(args, context, ref estimator)) return -1;
            }
            else if (args.Matches("help"))
            {
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

        ClassSpec? options = null;
        if (kindGiven)
        {
            QdiscKind? kind = QdiscKinds.Find(kindName);
            if (kind is null)
            {
                // tc's stand-in for unknown kinds has no parse_copt.
                context.Err($"Error: Qdisc \"{kindName}\" is classless.\n");
                return 1;
            }
            try
            {
                options = kind.ParseClassOptions(args, context.ParseContext(dev));
            }
            catch (TcException ex) when (!ex.Exits)
            {
                context.Err(ex.Message + "\n");
                return 1;
            }
        }

        if (!context.TryFindIfIndex(dev, out int ifIndex)) return 1;

        var req = new ClassRequest
        {
            Flags = flags,
            IfIndex = ifIndex,
            Parent = parent,
            ClassId = classId,
            Kind = kindGiven ? kindName : null,
            Options = options,
            Estimator = estimator,
        };
        context.Kernel.ModifyClass(req, delete);
        return 0;
    }

    /// <summary>tc_class_list() and print_class().</summary>
    private static int List(TcArgs args, TcCommandContext context)
    {
        ShowFilters f = context.Statics<ShowFilters>();
        string dev = "";
        uint filterQdisc = 0, filterClassId = 0, parent = 0;
        while (args.HasMore)
        {
            string w = args.Current;
            if (w == "dev")
            {
                dev = TcWords.Device(args, dev);
            }
            else if (w == "qdisc")
            {
                string value = args.NextArg();
                if (filterQdisc != 0) throw TcException.DuplicateArgument("qdisc", value);
                if (!TcHandle.TryParseQdiscHandle(value, out filterQdisc)) throw TcException.InvalidArgument("invalid qdisc ID", value);
            }
            else if (w == "classid")
            {
                string value = args.NextArg();
                if (filterClassId != 0) throw TcException.DuplicateArgument("classid", value);
                if (!TcHandle.TryParseClassId(value, out filterClassId)) throw TcException.InvalidArgument("invalid class ID", value);
            }
            else if (w == "root")
            {
                if (parent != 0)
                {
                    context.Err("Error: \"root\" is duplicate parent ID\n");
                    return -1;
                }
                parent = TcHandle.Root;
            }
            else if (w == "parent")
            {
                if (parent != 0) throw TcException.DuplicateArgument("parent", w);
                string value = args.NextArg();
                if (!TcHandle.TryParseClassId(value, out parent)) throw TcException.InvalidArgument("invalid parent ID", value);
            }
            else if (args.Matches("help"))
            {
                context.Err(UsageText);
            }
            else
            {
                context.Err($"What is \"{w}\"? Try \"tc class help\".\n");
                return -1;
            }
            args.Advance();
        }

        // tc sends the dump request for its device; without one the kernel finds no device and dumps nothing.
        NetDevice? device = null;
        if (dev.Length > 0)
        {
            device = context.FindDevice(dev);
            if (device is null) return -context.NoDevice(dev);
            f.IfIndex = device.IfIndex;
        }
        if (device is null) return 0;

        context.Kernel.TickEstimators(context.Clock.Now);
        List<ClassDump> dumps = context.Kernel.DumpClasses(device, parent);
        if (context.Options.ShowGraph)
        {
            TcWriter g = context.NewPlainWriter();
            ClassGraphPrinter.Print(g, dumps);
            context.Out(g.ToString());
            return 0;
        }
        foreach (ClassDump d in dumps)
        {
            if (filterQdisc != 0 && TcHandle.Major(d.ClassId ^ filterQdisc) != 0) continue;
            if (filterClassId != 0 && d.ClassId != filterClassId) continue;
            TcWriter w = context.NewPlainWriter();
            ClassPrinter.Print(w, d, showDevice: f.IfIndex == 0, filterQdisc, context.Err);
            context.Out(w.ToString());
        }
        return 0;
    }
}
