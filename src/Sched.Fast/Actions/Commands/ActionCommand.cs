using Sched.Fast.Classifiers;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Actions.Commands;

/// <summary>
/// "tc actions ..." (tc/m_action.c do_action()) over the kernel half of net/sched/act_api.c: add, change,
/// replace, delete, get, list and flush of shared actions, with tc's output, messages and exit codes, quirks
/// included (a failed delete or get goes on to read the next word as a command).
/// </summary>
public sealed class ActionCommand
{
    public const string Usage =
        "usage: tc actions <ACTSPECOP>*\n" +
        "Where: \tACTSPECOP := ACR | GD | FL\n" +
        "\tACR := add | change | replace <ACTSPEC>*\n" +
        "\tGD := get | delete | <ACTISPEC>*\n" +
        "\tFL := ls | list | flush | <ACTNAMESPEC>\n" +
        "\tACTNAMESPEC :=  action <ACTNAME>\n" +
        "\tACTISPEC := <ACTNAMESPEC> <INDEXSPEC>\n" +
        "\tACTSPEC := action <ACTDETAIL> [INDEXSPEC] [HWSTATSSPEC] [SKIPSPEC]\n" +
        "\tINDEXSPEC := index <32 bit indexvalue>\n" +
        "\tHWSTATSSPEC := hw_stats [ immediate | delayed | disabled ]\n" +
        "\tSKIPSPEC := [ skip_sw | skip_hw ]\n" +
        "\tACTDETAIL := <ACTNAME> <ACTPARAMS>\n" +
        "\t\tExample ACTNAME is gact, mirred, bpf, etc\n" +
        "\t\tEach action has its own parameters (ACTPARAMS)\n";

    /// <summary>The action kinds iproute2 6.1's tc is built with (tc/Makefile TCMODULES, m_xt.so).</summary>
    private static readonly HashSet<string> s_tcKinds =
    [
        "gact", "mirred", "mpls", "nat", "pedit", "ife", "skbedit", "skbmod", "csum", "simple", "vlan", "connmark",
        "ctinfo", "bpf", "tunnel_key", "sample", "ct", "gate", "police", "xt", "ipt",
    ];

    private readonly FilterNamespace _ns;

    public ActionCommand(FilterNamespace ns) => _ns = ns;

    /// <summary>get_action_kind() with CONFIG_GACT: a kind tc does not know is taken for gact.</summary>
    private static string TcKind(string word) => s_tcKinds.Contains(word) ? word : "gact";

    /// <summary>Runs the words after "actions"; returns tc's exit code.</summary>
    public int Run(TcArgs args, TcWriter output, TextWriter error)
    {
        try
        {
            return Dispatch(args, output, error);
        }
        catch (TcException e) when (!e.Exits)
        {
            if (e.Message.Length > 0) error.WriteLine(e.Message);
            return e.ExitCode;
        }
    }

    private int Dispatch(TcArgs args, TcWriter output, TextWriter error)
    {
        while (args.HasMore)
        {
            int ret;
            if (args.Matches("add"))
            {
                ret = Modify(args, replace: false, error);
            }
            else if (args.Matches("change") || args.Matches("replace"))
            {
                ret = Modify(args, replace: true, error);
            }
            else if (args.Matches("delete"))
            {
                args.Advance();
                ret = GetOrDelete(args, delete: true, output, error);
            }
            else if (args.Matches("get"))
            {
                args.Advance();
                ret = GetOrDelete(args, delete: false, output, error);
            }
            else if (args.Matches("list") || args.Matches("show") || args.Matches("lst"))
            {
                if (args.Remaining <= 2) throw TcException.Exit(Usage);
                args.Advance();
                args.Advance();
                return List(args, output);
            }
            else if (args.Matches("flush"))
            {
                if (args.Remaining <= 2) throw TcException.Exit(Usage);
                args.Advance();
                args.Advance();
                return Flush(args, error);
            }
            else if (args.Matches("help"))
            {
                throw TcException.Exit(Usage);
            }
            else
            {
                error.WriteLine($"Command \"{args.Current}\" is unknown, try \"tc actions help\".");
                return 255;
            }
            if (ret < 0) return 255;
        }
        return 0;
    }

    /// <summary>tc_action_modify() + tcf_action_add().</summary>
    private int Modify(TcArgs args, bool replace, TextWriter error)
    {
        args.Advance();
        List<ActionItem> items;
        try
        {
            items = ActionParser.Parse(args, _ns.Devices);
        }
        catch (TcException e) when (!e.Exits)
        {
            throw new TcException(ActionParser.Join(e.Message, "Illegal \"action\""), 255);
        }
        try
        {
            TcAction[] actions = ActionInit.Init(_ns, null, items, bind: false, replace, 0, out bool[] created);
            // Only existing actions are put: the new ones keep the reference "tc actions add" holds.
            for (int i = 0; i < actions.Length; i++)
            {
                if (!created[i]) actions[i].Table!.Put(actions[i], bind: false);
            }
        }
        catch (TcException e) when (KernelError.IsKernel(e))
        {
            error.WriteLine(KernelError.Format(e));
            return -1;
        }
        return 0;
    }

    /// <summary>
    /// tc_action_gd(): "delete"/"get" of actions by kind and index. A kernel error returns 1 without consuming the
    /// words, so <see cref="Dispatch"/> reads on from the word after the verb, as tc does.
    /// </summary>
    private int GetOrDelete(TcArgs args, bool delete, TcWriter output, TextWriter error)
    {
        int resume = args.Position;
        args.Advance();
        var requests = new List<(string Kind, uint Index)>();
        while (args.HasMore)
        {
            if (args.Is("action"))
            {
                args.Advance();
                continue;
            }
            if (args.Is("help")) return -1;
            string k = TcKind(args.Current);
            args.Advance();
            if (!args.HasMore || !args.Matches("index"))
            {
                error.WriteLine($"Error: no index specified action: {k}");
                return -1;
            }
            string value = args.NextArg();
            if (!CStrtol.TryParseU32(value, 10, out uint index))
            {
                error.WriteLine("Illegal \"index\"");
                return -1;
            }
            args.Advance();
            requests.Add((k, index));
        }

        try
        {
            // tcf_action_get_1() for each: the kind's table and the index must resolve.
            var actions = new List<TcAction>();
            foreach (var (kind, index) in requests)
            {
                if (index == 0) throw KernelError.ExtAck("Invalid TC action index value");
                if (ActionKinds.Find(kind) is null) throw KernelError.ExtAck("Specified TC action kind not found");
                TcAction a = _ns.Actions.For(kind).Find(index) ??
                             throw KernelError.ExtAck("TC action with specified index not found");
                actions.Add(a);
            }
            if (delete)
            {
                foreach (TcAction a in actions)
                {
                    try
                    {
                        a.Table!.DeleteIndex(a.Index);
                    }
                    catch (TcException)
                    {
                        throw KernelError.ExtAck("Failed to delete TC action");
                    }
                }
                return 0;
            }
            long now = _ns.Clock.Now.Value;
            output.BeginDocument();
            PrintActionMessage(output, totalActs: null,
                actions.Select(a => ActionDump.Full(a, now)).ToList(), firstOrder: 1);
            output.EndDocument();
            return 0;
        }
        catch (TcException e) when (KernelError.IsKernel(e))
        {
            error.WriteLine(KernelError.Format(e));
            args.Seek(resume);
            return 1;
        }
    }

    /// <summary>tc_act_list_or_flush(RTM_GETACTION) + tc_dump_action().</summary>
    private int List(TcArgs args, TcWriter output)
    {
        // tc sends the word as given; a kind the kernel does not know dumps nothing.
        string k = args.Current;
        args.Advance();
        uint sinceMs = 0;
        if (args.HasMore && args.Is("since"))
        {
            string value = args.NextArg();
            if (!CStrtol.TryParseU32(value, 0, out sinceMs))
                throw ActionParser.Invarg("dump time \"since\" is invalid", value);
        }
        long now = _ns.Clock.Now.Value;
        long sinceNs = sinceMs == 0 ? long.MinValue : now - sinceMs * 1_000_000L;
        if (ActionKinds.Find(k) is null)
        {
            output.BeginDocument();
            output.EndDocument();
            return 0;
        }
        var items = _ns.Actions.For(k).Actions
            .Where(a => sinceMs == 0 || a.LastUsedNs >= sinceNs)
            .Select(a => ActionDump.Full(a, now))
            .ToList();
        output.BeginDocument();
        if (items.Count > 0) PrintActionMessage(output, (uint)items.Count, items, firstOrder: 0);
        output.EndDocument();
        return 0;
    }

    /// <summary>tc_act_list_or_flush(RTM_DELACTION) + tca_action_flush().</summary>
    private int Flush(TcArgs args, TextWriter error)
    {
        string k = args.Current;
        args.Advance();
        if (args.HasMore && args.Is("since"))
        {
            string value = args.NextArg();
            if (!CStrtol.TryParseU32(value, 0, out _)) throw ActionParser.Invarg("dump time \"since\" is invalid", value);
        }
        if (ActionKinds.Find(k) is null)
        {
            error.WriteLine(KernelError.Format(KernelError.ExtAck("Cannot flush unknown TC action"), "We have an error flushing"));
            return 1;
        }
        var (deleted, stopped) = _ns.Actions.For(k).Flush();
        if (stopped)
        {
            if (deleted == 0)
            {
                error.WriteLine(KernelError.Format(KernelError.Errno(Errno.EPERM), "We have an error flushing"));
                return 1;
            }
            error.WriteLine("Warning: Unable to flush all TC actions.");
        }
        return 0;
    }

    /// <summary>print_action(): "total acts N", then the action table.</summary>
    private void PrintActionMessage(TcWriter w, uint? totalActs, IReadOnlyList<ActionItem> items, int firstOrder)
    {
        w.OpenObject(null);
        w.Uint(PrintTarget.Any, "total acts", "total acts %u", totalActs ?? 0);
        w.Newline();
        w.CloseObject();
        w.OpenObject(null);
        ActionPrinter.PrintList(w, items, firstOrder, bind: false, _ns.Devices);
        w.CloseObject();
    }
}
