using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Actions.Gact;

/// <summary>
/// gact's two halves: tc/m_gact.c (verdict, "random netrand|determ VERDICT VAL", "index N") and
/// net/sched/act_gact.c tcf_gact_init() (create, bind by index, replace).
/// </summary>
public sealed class GactKind : ActionKind
{
    /// <summary>MAX_RAND: the random types the kernel knows (none, netrand, determ).</summary>
    private const int MaxRand = 3;

    public const string Usage =
        "Usage: ... gact <ACTION> [RAND] [INDEX]\n" +
        "Where: \tACTION := reclassify | drop | continue | pass | pipe |\n" +
        "       \t          goto chain <CHAIN_INDEX> | jump <JUMP_COUNT>\n" +
        "\tRAND := random <RANDTYPE> <ACTION> <VAL>\n" +
        "\tRANDTYPE := netrand | determ\n" +
        "\tVAL : = value not exceeding 10000\n" +
        "\tJUMP_COUNT := Absolute jump from start of action list\n" +
        "\tINDEX := index value used\n";

    public override string Name => "gact";

    public override ActionSpec Parse(TcArgs args, DeviceTable devices)
    {
        int control = TcAct.Ok;
        uint index = 0;
        GactProb? prob = null;
        if (args.Matches("gact")) args.NextArg();
        if (!args.Matches("index"))
        {
            ParseControl(args, out control);
            if (args.HasMore)
            {
                if (args.Matches("random"))
                {
                    args.NextArg();
                    GactRandomType type;
                    if (args.Matches("netrand"))
                    {
                        args.NextArg();
                        type = GactRandomType.Netrand;
                    }
                    else if (args.Matches("determ"))
                    {
                        args.NextArg();
                        type = GactRandomType.Determ;
                    }
                    else
                    {
                        throw new TcException("Illegal \"random type\"");
                    }
                    ParseControl(args, out int fallback);
                    // m_gact.c prints its uninitialised pval here; with Debian's iproute2 6.1 build it reads 0x1000.
                    if (!CStrtol.TryParseU16(args.PeekOrNull(), 10, out ushort value))
                        throw new TcException("Illegal probability val 0x1000");
                    if (value > 10000)
                        throw new TcException($"Illegal probability val  0x{value:x}");
                    args.Advance();
                    prob = new GactProb(type, fallback, value);
                }
                else if (args.Matches("help"))
                {
                    throw TcException.Exit(Usage);
                }
            }
            if (!args.HasMore) return new GactSpec { Control = control, Prob = prob };
            if (!args.Matches("index"))
            {
                if (args.Matches("help")) throw TcException.Exit(Usage);
                return new GactSpec { Control = control, Prob = prob };
            }
        }
        string word = args.NextArg();
        if (!CStrtol.TryParseU32(word, 10, out index)) throw new TcException("Illegal \"index\"");
        args.Advance();
        return new GactSpec { Control = control, Index = index, Prob = prob };
    }

    /// <summary>parse_action_control() failing means usage() and exit in m_gact.c.</summary>
    private static void ParseControl(TcArgs args, out int control)
    {
        try
        {
            if (!ActionControl.TryParse(args, out control)) throw TcException.Exit(Usage);
        }
        catch (TcException e) when (!e.Exits)
        {
            throw TcException.Exit(e.Message + "\n" + Usage);
        }
    }

    public override void Print(TcWriter w, ActionSpec spec, DeviceTable devices)
    {
        var g = (GactSpec)spec;
        w.String(PrintTarget.Any, "kind", "%s ", "gact");
        ActionControl.Print(w, "action ", g.Control, "");
        // "need to keep consistent output": a missing prob prints as none/pass/0.
        GactProb p = g.Prob ?? new GactProb(GactRandomType.None, TcAct.Ok, 0);
        w.OpenObject("prob");
        w.Newline();
        w.String(PrintTarget.Any, "random_type", "\t random type %s", RandomTypeName(p.Type));
        ActionControl.Print(w, " ", p.Control, " ");
        w.Int(PrintTarget.Any, "val", "val %d", p.Value);
        w.CloseObject();
        w.Newline();
        w.Uint(PrintTarget.Any, "index", "\t index %u", g.Index);
        w.Int(PrintTarget.Any, "ref", " ref %d", g.RefCount);
        w.Int(PrintTarget.Any, "bind", " bind %d", g.BindCount);
        if (w.Options.ShowStats > 0 && g.Tm is { } tm) ActionPrinter.PrintTm(w, tm);
        w.Newline();
    }

    private static string RandomTypeName(GactRandomType t) => t switch
    {
        GactRandomType.Netrand => "netrand",
        GactRandomType.Determ => "determ",
        _ => "none",
    };

    public override ActionInitResult Init(ActionSpec? spec, ActionInitContext context)
    {
        if (spec is not GactSpec g) throw KernelError.Errno(Errno.EINVAL);
        if (g.Prob is { } p)
        {
            if ((int)p.Type >= MaxRand) throw KernelError.Errno(Errno.EINVAL);
            if (TcAct.IsExt(p.Control, TcAct.GotoChain))
                throw KernelError.ExtAck("goto chain not allowed on fallback");
        }
        uint index = g.Index;
        TcAction? existing = context.CheckAlloc(ref index);
        GactAction action;
        bool created = existing is null;
        if (existing is not null)
        {
            if (context.Bind) return new ActionInitResult(existing, false); // "dont override defaults"
            if (!context.Replace)
            {
                context.Release(existing);
                throw KernelError.Errno(Errno.EEXIST);
            }
            action = (GactAction)existing;
        }
        else
        {
            ulong seed = context.Namespace.RandomSeed ^ ((ulong)index * 0x9E3779B97F4A7C15UL);
            action = context.Created(new GactAction(index, seed));
        }

        FilterChain? gotoChain;
        try
        {
            gotoChain = context.CheckControl(g.Control);
        }
        catch (TcException)
        {
            context.Release(action);
            throw;
        }
        ActionInitContext.PutChain(action.SetControl(g.Control, gotoChain));
        if (g.Prob is { } prob) action.SetProb(prob with { Value = Math.Max((ushort)1, prob.Value) });
        return new ActionInitResult(action, created);
    }
}
