using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Actions.Mirred;

/// <summary>
/// mirred's two halves: tc/m_mirred.c ("egress|ingress mirror|redirect dev NAME [index N]") and
/// net/sched/act_mirred.c tcf_mirred_init().
/// </summary>
public sealed class MirredKind : ActionKind
{
    private const string Module = "act_mirred";

    public const string Usage =
        "Usage: mirred <DIRECTION> <ACTION> [index INDEX] <dev DEVICENAME>\n" +
        "where:\n" +
        "\tDIRECTION := <ingress | egress>\n" +
        "\tACTION := <mirror | redirect>\n" +
        "\tINDEX  is the specific policy instance id\n" +
        "\tDEVICENAME is the devicename";

    public override string Name => "mirred";

    public override ActionSpec Parse(TcArgs args, DeviceTable devices)
    {
        // parse_mirred(): the cursor is at "mirred".
        args.NextArg();
        if (args.Matches("egress") || args.Matches("ingress") || args.Matches("index"))
            return ParseDirection(args, devices);
        if (args.Matches("help")) throw TcException.Exit(Usage);
        throw new TcException($"mirred option not supported {args.Current}");
    }

    /// <summary>parse_direction(), word for word (including the words it silently skips).</summary>
    private static MirredSpec ParseDirection(TcArgs args, DeviceTable devices)
    {
        int ok = 0, iok = 0;
        bool mirror = false, redirect = false, ingress = false, egress = false;
        uint index = 0;
        int control = 0;
        MirredEAction eaction = 0;
        string? dev = null;
        while (args.HasMore)
        {
            if (args.Matches("action"))
            {
                args.NextArg();
                break;
            }
            if (!egress && args.Matches("egress"))
            {
                egress = true;
                if (ingress) throw new TcException("Can't have both egress and ingress");
                args.NextArg();
                ok++;
                continue;
            }
            if (!ingress && args.Matches("ingress"))
            {
                ingress = true;
                if (egress) throw new TcException("Can't have both ingress and egress");
                args.NextArg();
                ok++;
                continue;
            }
            if (args.Matches("index"))
            {
                string value = args.NextArg();
                if (!CStrtol.TryParseU32(value, 10, out index)) throw new TcException("Illegal \"index\"");
                iok++;
                if (ok == 0)
                {
                    args.Advance();
                    break;
                }
            }
            else if (ok == 0)
            {
                // tc prints this and then fails below unless an index was given.
                if (iok == 0) throw new TcException($"was expecting egress or ingress ({args.Current})");
                break;
            }
            else if (!mirror && args.Matches("mirror"))
            {
                mirror = true;
                if (redirect) throw new TcException("Can't have both mirror and redir");
                eaction = egress ? MirredEAction.EgressMirror : MirredEAction.IngressMirror;
                control = TcAct.Pipe;
                ok++;
            }
            else if (!redirect && args.Matches("redirect"))
            {
                redirect = true;
                if (mirror) throw new TcException("Can't have both mirror and redir");
                eaction = egress ? MirredEAction.EgressRedirect : MirredEAction.IngressRedirect;
                control = TcAct.Stolen;
                ok++;
            }
            else if ((redirect || mirror) && args.Matches("dev"))
            {
                string name = args.NextArg();
                if (dev is not null) throw TcException.DuplicateArgument("dev", name);
                dev = name;
                args.Advance();
                break;
            }
            args.NextArg();
        }
        if (ok == 0 && iok == 0) throw new TcException("");

        int ifIndex = 0;
        if (dev is not null)
        {
            ifIndex = devices.Find(dev)?.IfIndex ?? throw new TcException($"Cannot find device \"{dev}\"");
        }
        if (eaction is MirredEAction.EgressMirror or MirredEAction.IngressMirror)
        {
            int mark = args.Position;
            if (!TryParseQuiet(args, out control))
            {
                args.Seek(mark);
                control = TcAct.Pipe;
            }
        }
        if (args.HasMore)
        {
            if (iok > 0 && args.Matches("index")) throw new TcException("mirred: Illegal double index");
            if (args.Matches("index"))
            {
                string value = args.NextArg();
                if (!CStrtol.TryParseU32(value, 10, out index)) throw new TcException("mirred: Illegal \"index\"");
                args.Advance();
            }
        }
        return new MirredSpec { EAction = eaction, Control = control, Index = index, IfIndex = ifIndex };
    }

    /// <summary>parse_action_control_dflt(): a verdict if one follows; anything else keeps the default.</summary>
    private static bool TryParseQuiet(TcArgs args, out int control)
    {
        try
        {
            return ActionControl.TryParse(args, out control, quiet: true);
        }
        catch (TcException e) when (!e.Exits)
        {
            control = 0;
            return false;
        }
    }

    public override void Print(TcWriter w, ActionSpec spec, DeviceTable devices)
    {
        var m = (MirredSpec)spec;
        w.String(PrintTarget.Any, "kind", "%s ", "mirred");
        string dev = devices.Find(m.IfIndex)?.Name ?? $"if{m.IfIndex}";
        w.String(PrintTarget.Plain, null, "(%s", EActionText(m.EAction));
        w.String(PrintTarget.Json, "mirred_action", null, m.EAction switch
        {
            MirredEAction.EgressRedirect or MirredEAction.IngressRedirect => "redirect",
            MirredEAction.EgressMirror or MirredEAction.IngressMirror => "mirror",
            _ => "unknown",
        });
        w.String(PrintTarget.Json, "direction", null, m.EAction switch
        {
            MirredEAction.EgressRedirect or MirredEAction.EgressMirror => "egress",
            MirredEAction.IngressRedirect or MirredEAction.IngressMirror => "ingress",
            _ => "unknown",
        });
        w.String(PrintTarget.Any, "to_dev", " to device %s)", dev);
        ActionControl.Print(w, " ", m.Control, "");
        w.Newline();
        w.Uint(PrintTarget.Any, "index", "\tindex %u", m.Index);
        w.Int(PrintTarget.Any, "ref", " ref %d", m.RefCount);
        w.Int(PrintTarget.Any, "bind", " bind %d", m.BindCount);
        if (w.Options.ShowStats > 0 && m.Tm is { } tm) ActionPrinter.PrintTm(w, tm);
        w.Newline();
    }

    private static string EActionText(MirredEAction a) => a switch
    {
        MirredEAction.EgressRedirect => "Egress Redirect",
        MirredEAction.IngressRedirect => "Ingress Redirect",
        MirredEAction.EgressMirror => "Egress Mirror",
        MirredEAction.IngressMirror => "Ingress Mirror",
        _ => "unknown",
    };

    public override ActionInitResult Init(ActionSpec? spec, ActionInitContext context)
    {
        if (spec is null) throw KernelError.ExtAckMod(Module, "Mirred requires attributes to be passed");
        if (spec is not MirredSpec m) throw KernelError.ExtAckMod(Module, "Missing required mirred parameters");
        uint index = m.Index;
        TcAction? existing = context.CheckAlloc(ref index);
        if (existing is not null && context.Bind) return new ActionInitResult(existing, false);

        if (m.EAction is not (MirredEAction.EgressMirror or MirredEAction.EgressRedirect or
            MirredEAction.IngressMirror or MirredEAction.IngressRedirect))
        {
            if (existing is not null) context.Release(existing);
            else context.Table.Cleanup(index);
            throw KernelError.ExtAckMod(Module, "Unknown mirred option");
        }

        MirredAction action;
        if (existing is null)
        {
            if (m.IfIndex == 0)
            {
                context.Table.Cleanup(index);
                throw KernelError.ExtAckMod(Module, "Specified device does not exist");
            }
            action = context.Created(new MirredAction(index, context.Namespace.Devices));
        }
        else if (!context.Replace)
        {
            context.Release(existing);
            throw KernelError.Errno(Errno.EEXIST);
        }
        else
        {
            action = (MirredAction)existing;
        }

        FilterChain? gotoChain;
        try
        {
            gotoChain = context.CheckControl(m.Control);
        }
        catch (TcException)
        {
            context.Release(action);
            throw;
        }
        NetDevice? device = null;
        if (m.IfIndex != 0)
        {
            device = context.Namespace.Devices.Find(m.IfIndex);
            if (device is null)
            {
                ActionInitContext.PutChain(gotoChain);
                context.Release(action);
                throw KernelError.Errno(Errno.ENODEV);
            }
        }
        ActionInitContext.PutChain(action.SetControl(m.Control, gotoChain));
        action.Set(m.EAction, device);
        return new ActionInitResult(action, existing is null);
    }
}
