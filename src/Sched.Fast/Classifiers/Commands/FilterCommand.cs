using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Classifiers.Commands;

/// <summary>
/// "tc filter ..." and "tc chain ..." (tc/tc_filter.c do_filter(), do_chain()): the iproute2 half, word for word,
/// over the kernel half in <see cref="FilterApi"/>. One instance stands for one tc process: like tc's static
/// filter_ifindex/filter_parent/... it remembers what the last "show" or "get" asked for, which a batch carries
/// from one command to the next.
/// </summary>
public sealed class FilterCommand
{
    public const string Usage =
        "Usage: tc filter [ add | del | change | replace | show ] [ dev STRING ]\n" +
        "       tc filter [ add | del | change | replace | show ] [ block BLOCK_INDEX ]\n" +
        "       tc filter get dev STRING parent CLASSID protocol PROTO handle FILTERID pref PRIO FILTER_TYPE\n" +
        "       tc filter get block BLOCK_INDEX protocol PROTO handle FILTERID pref PRIO FILTER_TYPE\n" +
        "       [ pref PRIO ] protocol PROTO [ chain CHAIN_INDEX ]\n" +
        "       [ estimator INTERVAL TIME_CONSTANT ]\n" +
        "       [ root | ingress | egress | parent CLASSID ]\n" +
        "       [ handle FILTERID ] [ [ FILTER_TYPE ] [ help | OPTIONS ] ]\n" +
        "\n" +
        "       tc filter show [ dev STRING ] [ root | ingress | egress | parent CLASSID ]\n" +
        "       tc filter show [ block BLOCK_INDEX ]\n" +
        "Where:\n" +
        "FILTER_TYPE := { rsvp | u32 | bpf | fw | route | etc. }\n" +
        "FILTERID := ... format depends on classifier, see there\n" +
        "OPTIONS := ... try tc filter add <desired FILTER_KIND> help";

    public const string ChainUsage =
        "Usage: tc chain [ add | del | get | show ] [ dev STRING ]\n" +
        "       tc chain [ add | del | get | show ] [ block BLOCK_INDEX ] ]";

    private const uint ParentIngress = 0xFFFF_FFF2;
    private const uint ParentEgress = 0xFFFF_FFF3;

    private readonly FilterNamespace _ns;
    private readonly FilterApi _api;
    private readonly FilterShowStatics _statics;

    /// <param name="statics">tc_filter.c's statics for this tc run (a batch shares them); null: fresh ones.</param>
    public FilterCommand(FilterNamespace ns, FilterShowStatics? statics = null)
    {
        _ns = ns;
        _api = new FilterApi(ns);
        _statics = statics ?? new FilterShowStatics();
    }

    private FilterShowFilter _shown
    {
        get => _statics.Shown;
        set => _statics.Shown = value;
    }

    public FilterApi Api => _api;

    private DeviceTable Devices => _ns.Devices;

    /// <summary>do_filter(): the words after "filter"; returns tc's exit code.</summary>
    public int RunFilter(TcArgs args, TcWriter output, TextWriter error) =>
        Guard(error, () =>
        {
            if (!args.HasMore) return List(args, chains: false, output, error);
            if (args.Matches("add")) return Modify(args, Kind.Filter, create: true, exclusive: true, delete: false, error);
            if (args.Matches("change")) return Modify(args, Kind.Filter, create: false, exclusive: false, delete: false, error);
            if (args.Matches("replace")) return Modify(args, Kind.Filter, create: true, exclusive: false, delete: false, error);
            if (args.Matches("delete")) return Modify(args, Kind.Filter, create: false, exclusive: false, delete: true, error);
            if (args.Matches("get")) return Get(args, chains: false, output, error);
            if (args.Matches("list") || args.Matches("show") || args.Matches("lst"))
            {
                args.Advance();
                return List(args, chains: false, output, error);
            }
            if (args.Matches("help"))
            {
                error.WriteLine(Usage);
                return 0;
            }
            error.WriteLine($"Command \"{args.Current}\" is unknown, try \"tc filter help\".");
            return 255;
        });

    /// <summary>do_chain(): the words after "chain"; returns tc's exit code.</summary>
    public int RunChain(TcArgs args, TcWriter output, TextWriter error) =>
        Guard(error, () =>
        {
            if (!args.HasMore) return List(args, chains: true, output, error);
            if (args.Matches("add")) return Modify(args, Kind.Chain, create: true, exclusive: true, delete: false, error);
            if (args.Matches("delete")) return Modify(args, Kind.Chain, create: false, exclusive: false, delete: true, error);
            if (args.Matches("get")) return Get(args, chains: true, output, error);
            if (args.Matches("list") || args.Matches("show") || args.Matches("lst"))
            {
                args.Advance();
                return List(args, chains: true, output, error);
            }
            if (args.Matches("help"))
            {
                error.WriteLine(ChainUsage);
                return 0;
            }
            error.WriteLine($"Command \"{args.Current}\" is unknown, try \"tc chain help\".");
            return 255;
        });

    private static int Guard(TextWriter error, Func<int> run)
    {
        try
        {
            return run();
        }
        catch (TcException e) when (!e.Exits)
        {
            if (e.Message.Length > 0) error.WriteLine(e.Message);
            return e.ExitCode;
        }
    }

    private enum Kind
    {
        Filter,
        Chain,
    }

    /// <summary>The words tc_filter_modify(), tc_filter_get() and tc_filter_list() share.</summary>
    private sealed class Common
    {
        public string? Dev;
        public uint BlockIndex;
        public uint Parent;
        public string? Handle;
        public uint Prio;
        public ushort Protocol;
        public bool ProtocolSet;
        public uint? Chain;
        public bool Estimator;
        public string? KindName;
    }

    /// <summary>tc_filter_modify(): add, change, replace, delete of filters and chains.</summary>
    private int Modify(TcArgs args, Kind kind, bool create, bool exclusive, bool delete, TextWriter error)
    {
        args.Advance();
        var c = new Common();
        if (kind == Kind.Filter && !delete && create) c.Protocol = EtherTypes.All;
        ClassifierKind? filterKind = null;
        while (args.HasMore)
        {
            string w = args.Current;
            if (ParseCommonWord(args, c))
            {
                args.Advance();
                continue;
            }
            if (args.Matches("estimator"))
            {
                ParseEstimator(args, c);
            }
            else if (args.Matches("help"))
            {
                error.WriteLine(Usage);
                return 0;
            }
            else
            {
                c.KindName = w;
                filterKind = ClassifierKinds.Find(w);
                args.Advance();
                break;
            }
            args.Advance();
        }

        int ifIndex = 0;
        if (c.Dev is not null)
        {
            ifIndex = Devices.Find(c.Dev)?.IfIndex ?? throw new TcException($"Cannot find device \"{c.Dev}\"", 1);
        }
        else if (c.BlockIndex != 0)
        {
            ifIndex = BlockLookup.MagicBlockIfIndex;
        }

        uint handle = 0;
        FilterSpec? options = null;
        if (c.KindName is not null)
        {
            if (filterKind is not null)
            {
                FilterRequest request;
                try
                {
                    request = filterKind.ParseOptions(c.Handle, args, Devices);
                }
                catch (TcException e) when (!e.Exits)
                {
                    throw new TcException(e.Message, 1);
                }
                handle = request.Handle;
                options = request.Options;
            }
            else
            {
                handle = ParseUnknownKind(c.KindName, c.Handle, args);
            }
        }
        else
        {
            if (c.Handle is not null) throw Fail("Must specify filter type when using \"handle\"");
            if (args.HasMore)
            {
                if (args.Matches("help")) error.WriteLine(Usage);
                throw Fail($"Garbage instead of arguments \"{args.Current} ...\". Try \"tc filter help\".");
            }
        }

        var r = new FilterApiRequest
        {
            IfIndex = ifIndex,
            BlockIndex = c.BlockIndex,
            Parent = c.Parent,
            Prio = c.Prio,
            Protocol = c.Protocol,
            Handle = handle,
            Kind = c.KindName,
            Chain = c.Chain,
            Options = options,
            Create = create,
            Exclusive = exclusive,
        };
        try
        {
            if (kind == Kind.Chain)
            {
                if (delete) _api.DeleteChain(r);
                else _api.NewChain(r);
            }
            else if (delete)
            {
                _api.DeleteFilter(r);
            }
            else
            {
                _api.NewFilter(r);
            }
        }
        catch (TcException e) when (KernelError.IsKernel(e))
        {
            throw new TcException(KernelError.Format(e), 2);
        }
        return 0;
    }

    /// <summary>The words tc_filter_modify() and tc_filter_get() parse alike; false: not one of them.</summary>
    private static bool ParseCommonWord(TcArgs args, Common c)
    {
        string w = args.Current;
        if (w == "dev")
        {
            string v = args.NextArg();
            if (c.Dev is not null) throw DupArg("dev", v);
            if (c.BlockIndex != 0) throw Fail("Error: \"dev\" and \"block\" are mutually exclusive");
            c.Dev = v;
        }
        else if (args.Matches("block"))
        {
            string v = args.NextArg();
            if (c.BlockIndex != 0) throw DupArg("block", v);
            if (c.Dev is not null) throw Fail("Error: \"dev\" and \"block\" are mutually exclusive");
            if (!CStrtol.TryParseU32(v, 0, out c.BlockIndex) || c.BlockIndex == 0)
                throw Invarg("invalid block index value", v);
        }
        else if (w == "root" || w == "ingress" || w == "egress")
        {
            if (c.Parent != 0) throw Fail($"Error: \"{w}\" is duplicate parent ID");
            c.Parent = w == "root" ? TcHandle.Root : w == "ingress" ? ParentIngress : ParentEgress;
        }
        else if (w == "parent")
        {
            string v = args.NextArg();
            if (c.Parent != 0) throw DupArg("parent", v);
            if (!TcHandle.TryParseClassId(v, out c.Parent)) throw Invarg("Invalid parent ID", v);
        }
        else if (w == "handle")
        {
            string v = args.NextArg();
            if (c.Handle is not null) throw DupArg("handle", v);
            c.Handle = v;
        }
        else if (args.Matches("preference") || args.Matches("priority"))
        {
            string v = args.NextArg();
            if (c.Prio != 0) throw DupArg("priority", v);
            if (!CStrtol.TryParseU32(v, 0, out c.Prio) || c.Prio > 0xFFFF) throw Invarg("invalid priority value", v);
        }
        else if (args.Matches("protocol"))
        {
            string v = args.NextArg();
            if (c.ProtocolSet) throw DupArg("protocol", v);
            if (!ProtocolNames.TryParse(v, out c.Protocol)) throw Invarg("invalid protocol", v);
            c.ProtocolSet = true;
        }
        else if (args.Matches("chain"))
        {
            string v = args.NextArg();
            if (c.Chain is not null) throw DupArg("chain", v);
            if (!CStrtol.TryParseU32(v, 0, out uint chain)) throw Invarg("invalid chain index value", v);
            c.Chain = chain;
        }
        else
        {
            return false;
        }
        return true;
    }

    /// <summary>parse_nofopt(): a kind tc has no parser for takes only a numeric handle.</summary>
    private static uint ParseUnknownKind(string name, string? handle, TcArgs args)
    {
        if (args.HasMore)
            throw new TcException($"Unknown filter \"{name}\", hence option \"{args.Current}\" is unparsable", 1);
        if (handle is null) return 0;
        if (!CStrtol.TryParseU32(handle, 16, out uint h)) throw new TcException($"Unparsable filter ID \"{handle}\"", 1);
        return h;
    }

    /// <summary>parse_estimator(): accepted and checked like tc; rate estimators on filters are not kept.</summary>
    private static void ParseEstimator(TcArgs args, Common c)
    {
        string interval = args.NextArg();
        if (c.Estimator) throw DupArg("estimator", interval);
        if (args.Matches("help")) throw TcException.Exit(EstimatorUsage);
        if (!TcUnits.TryParseTimeUs(interval, out uint a)) throw Invarg("invalid estimator interval", "estimator");
        string constant = args.NextArg();
        if (args.Matches("help")) throw TcException.Exit(EstimatorUsage);
        if (!TcUnits.TryParseTimeUs(constant, out uint timeConst))
            throw Invarg("invalid estimator time constant", "estimator");
        if (!EstimatorInRange(a, timeConst)) throw Fail("Error: estimator parameters are out of range.");
        c.Estimator = true;
    }

    private const string EstimatorUsage =
        "Usage: ... estimator INTERVAL TIME-CONST\n" +
        "  INTERVAL is interval between measurements\n" +
        "  TIME-CONST is averaging time constant\n" +
        "Example: ... est 1sec 8sec";

    /// <summary>tc_setup_estimator() range checks (tc/tc_estimator.c).</summary>
    private static bool EstimatorInRange(uint a, uint timeConst)
    {
        int interval;
        for (interval = 0; interval <= 5; interval++)
        {
            if (a <= (1u << interval) * (1_000_000u / 4)) break;
        }
        if (interval > 5) return false;
        int ewmaLog;
        for (ewmaLog = 1; ewmaLog < 32; ewmaLog++)
        {
            double w = 1.0 - 1.0 / (1L << ewmaLog);
            if (a / -Math.Log(w) > timeConst) break;
        }
        ewmaLog--;
        return ewmaLog != 0 && ewmaLog < 31;
    }

    /// <summary>tc_filter_get(): "tc filter get" and "tc chain get".</summary>
    private int Get(TcArgs args, bool chains, TcWriter output, TextWriter error)
    {
        args.Advance();
        var c = new Common();
        ClassifierKind? filterKind = null;
        while (args.HasMore)
        {
            string w = args.Current;
            if (ParseCommonWord(args, c))
            {
                args.Advance();
                continue;
            }
            if (args.Matches("help"))
            {
                error.WriteLine(Usage);
                return 0;
            }
            if (w.Length == 0) throw Invarg("invalid filter name", w);
            c.KindName = w;
            filterKind = ClassifierKinds.Find(w);
            args.Advance();
            break;
        }

        if (!chains)
        {
            if (!c.ProtocolSet) throw Fail("Must specify filter protocol");
            if (c.Prio == 0) throw Fail("Must specify filter priority");
        }
        if (c.Parent == 0) throw Fail("Must specify filter parent");
        if (!chains && c.KindName is null) throw Fail("Must specify filter type");

        int ifIndex;
        if (c.Dev is not null)
        {
            ifIndex = Devices.Find(c.Dev)?.IfIndex ?? throw new TcException($"Cannot find device \"{c.Dev}\"", 1);
            _shown = _shown with { IfIndex = ifIndex };
        }
        else if (c.BlockIndex != 0)
        {
            ifIndex = BlockLookup.MagicBlockIfIndex;
            _shown = _shown with { BlockIndex = c.BlockIndex };
        }
        else
        {
            throw Fail("Must specify netdevice \"dev\" or block index \"block\"");
        }

        uint handle = 0;
        if (!chains)
        {
            if (filterKind is not null)
            {
                try
                {
                    handle = filterKind.ParseOptions(c.Handle, args, Devices).Handle;
                }
                catch (TcException e) when (!e.Exits)
                {
                    throw new TcException(e.Message, 1);
                }
            }
            else
            {
                handle = ParseUnknownKind(c.KindName!, c.Handle, args);
            }
            if (c.Handle is null) throw Fail("Must specify filter \"handle\"");
        }
        if (args.HasMore)
        {
            if (args.Matches("help")) error.WriteLine(Usage);
            throw Fail($"Garbage instead of arguments \"{args.Current} ...\". Try \"tc filter help\".");
        }

        var r = new FilterApiRequest
        {
            IfIndex = ifIndex,
            BlockIndex = c.BlockIndex,
            Parent = c.Parent,
            Prio = chains ? 0 : c.Prio,
            Protocol = chains ? (ushort)0 : c.Protocol,
            Handle = handle,
            Kind = chains ? null : c.KindName,
            Chain = c.Chain,
        };
        FilterMessage m;
        try
        {
            m = chains ? _api.GetChain(r) : _api.GetFilter(r);
        }
        catch (TcException e) when (KernelError.IsKernel(e))
        {
            throw new TcException(KernelError.Format(e), 2);
        }
        PrintDocument(output, [m]);
        return 0;
    }

    /// <summary>tc_filter_list(): "tc filter show" and "tc chain show".</summary>
    private int List(TcArgs args, bool chains, TcWriter output, TextWriter error)
    {
        string? dev = null;
        uint blockIndex = 0;
        uint parent = 0;
        string? handle = null;
        uint prio = 0;
        ushort protocol = 0;
        bool chainSet = _shown.Chain is not null;
        uint? chain = null;
        while (args.HasMore)
        {
            string w = args.Current;
            if (w == "dev")
            {
                string v = args.NextArg();
                if (dev is not null) throw DupArg("dev", v);
                if (blockIndex != 0) throw Fail("Error: \"dev\" cannot be used in the same time as \"block\"");
                dev = v;
            }
            else if (args.Matches("block"))
            {
                string v = args.NextArg();
                if (blockIndex != 0) throw DupArg("block", v);
                if (dev is not null) throw Fail("Error: \"block\" cannot be used in the same time as \"dev\"");
                if (!CStrtol.TryParseU32(v, 0, out blockIndex) || blockIndex == 0)
                    throw Invarg("invalid block index value", v);
            }
            else if (w == "root" || w == "ingress" || w == "egress")
            {
                if (parent != 0) throw Fail($"Error: \"{w}\" is duplicate parent ID");
                parent = w == "root" ? TcHandle.Root : w == "ingress" ? ParentIngress : ParentEgress;
                _shown = _shown with { Parent = parent };
            }
            else if (w == "parent")
            {
                string v = args.NextArg();
                if (parent != 0) throw DupArg("parent", v);
                if (!TcHandle.TryParseClassId(v, out parent)) throw Invarg("invalid parent ID", v);
                _shown = _shown with { Parent = parent };
            }
            else if (w == "handle")
            {
                string v = args.NextArg();
                if (handle is not null) throw DupArg("handle", v);
                handle = v;
            }
            else if (args.Matches("preference") || args.Matches("priority"))
            {
                string v = args.NextArg();
                if (prio != 0) throw DupArg("priority", v);
                if (!CStrtol.TryParseU32(v, 0, out prio)) throw Invarg("invalid preference", v);
                _shown = _shown with { Prio = prio };
            }
            else if (args.Matches("protocol"))
            {
                string v = args.NextArg();
                if (protocol != 0) throw DupArg("protocol", v);
                if (!ProtocolNames.TryParse(v, out protocol)) throw Invarg("invalid protocol", v);
                _shown = _shown with { Protocol = protocol };
            }
            else if (args.Matches("chain"))
            {
                string v = args.NextArg();
                if (chainSet) throw DupArg("chain", v);
                if (!CStrtol.TryParseU32(v, 0, out uint index)) throw Invarg("invalid chain index value", v);
                chainSet = true;
                chain = index;
                _shown = _shown with { Chain = index };
            }
            else if (args.Matches("help"))
            {
                // tc prints the usage and carries on.
                error.WriteLine(Usage);
            }
            else
            {
                throw Fail($" What is \"{w}\"? Try \"tc filter help\"");
            }
            args.Advance();
        }

        int ifIndex = 0;
        if (dev is not null)
        {
            ifIndex = Devices.Find(dev)?.IfIndex ?? throw new TcException($"Cannot find device \"{dev}\"", 1);
            _shown = _shown with { IfIndex = ifIndex };
        }
        else if (blockIndex != 0)
        {
            // tc_qdisc_block_exists(): some qdisc must use the block.
            if (_ns.SharedBlockResolver?.Invoke(blockIndex) is null)
                throw new TcException($"Cannot find block \"{blockIndex}\"", 1);
            ifIndex = BlockLookup.MagicBlockIfIndex;
            _shown = _shown with { BlockIndex = blockIndex };
        }

        // A chain filter given in an earlier command of the same tc process still applies (tc's static).
        uint? chainFilter = chain ?? _shown.Chain;
        List<FilterMessage> messages = chains
            ? _api.DumpChains(ifIndex, blockIndex, parent, chainFilter)
            : _api.DumpFilters(ifIndex, blockIndex, parent, prio, protocol, chainFilter);
        PrintDocument(output, messages);
        return 0;
    }

    /// <summary>
    /// new_json_obj(), print_filter() for each message (each ends in fflush()), delete_json_obj(). A printer that left
    /// a JSON object open (u32's pretty key printers under -j -p) makes jsonw_destroy()'s assertion fail: tc aborts
    /// (exit 134) and what it had not flushed, the closing of the document, never reaches stdout.
    /// </summary>
    private void PrintDocument(TcWriter output, IEnumerable<FilterMessage> messages)
    {
        output.BeginDocument();
        int flushed = output.Length;
        foreach (FilterMessage m in messages)
        {
            FilterPrinter.Print(output, m, _shown, Devices);
            flushed = output.Length;
        }
        if (output.IsJson && output.JsonDepth != 1)
        {
            output.Truncate(flushed);
            throw new TcException(JsonAbortMessage, 134) { Exits = true };
        }
        output.EndDocument();
    }

    /// <summary>What glibc's assert() prints when iproute2's JSON document ends with objects still open.</summary>
    public const string JsonAbortMessage = "tc: json_writer.c:107: jsonw_destroy: Assertion `self->depth == 0' failed.";

    private static TcException Fail(string message) => new(message, 255);

    private static TcException DupArg(string key, string arg) => TcException.DuplicateArgument(key, arg);

    private static TcException Invarg(string message, string arg) => TcException.InvalidArgument(message, arg);
}
