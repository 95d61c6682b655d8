using Sched.Fast.Actions;
using Sched.Fast.Classifiers.Matchall;
using Sched.Fast.Devices;
using Sched.Fast.Ematches;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Classifiers.Basic;

/// <summary>basic's two halves: tc/f_basic.c and net/sched/cls_basic.c.</summary>
public sealed class BasicKind : ClassifierKind
{
    public const string Usage =
        "Usage: ... basic [ match EMATCH_TREE ]\n" +
        "                 [ action ACTION_SPEC ] [ classid CLASSID ]\n" +
        "\n" +
        "Where:\tSELECTOR := SAMPLE SAMPLE ...\n" +
        "\tFILTERID := X:Y:Z\n" +
        "\tACTION_SPEC := ... look at individual actions\n" +
        "\n" +
        "NOTE: CLASSID is parsed as hexadecimal input.";

    public override string Name => "basic";

    public override FilterRequest ParseOptions(string? handle, TcArgs args, DeviceTable devices)
    {
        uint h = handle is null ? 0 : MatchallKind.StrtolHandle(handle);
        if (!args.HasMore) return new FilterRequest(h, null);
        uint? classId = null;
        EmatchTreeSpec? tree = null;
        List<ActionItem>? actions = null;
        while (args.HasMore)
        {
            if (args.Matches("match"))
            {
                args.NextArg();
                try
                {
                    tree = EmatchParser.Parse(args) ?? tree;
                }
                catch (TcException e) when (!e.Exits)
                {
                    throw new TcException(ActionParser.Join(e.Message, "Illegal \"ematch\""));
                }
                continue;
            }
            if (args.Matches("classid") || args.Is("flowid"))
            {
                string v = args.NextArg();
                if (!TcHandle.TryParseClassId(v, out uint c)) throw new TcException("Illegal \"classid\"");
                classId = c;
            }
            else if (args.Matches("action"))
            {
                args.NextArg();
                actions = MatchallKind.ParseActions(args, devices, actions);
                continue;
            }
            else if (args.Matches("police"))
            {
                // The police action is not part of this forwarder (yet); tc would parse it.
                throw new TcException("Illegal \"police\"");
            }
            else if (args.Is("help"))
            {
                throw new TcException(Usage);
            }
            else
            {
                throw new TcException($"What is \"{args.Current}\"?\n{Usage}");
            }
            args.Advance();
        }
        return new FilterRequest(h, new BasicSpec { ClassId = classId, Ematches = tree, Actions = actions });
    }

    public override void PrintOptions(TcWriter w, FilterDump dump, FilterPrintContext context)
    {
        if (dump.Options is not BasicSpec b) return;
        if (dump.Handle != 0) w.Hex(PrintTarget.Any, "handle", "handle 0x%x ", dump.Handle);
        if (b.ClassId is { } classId) w.String(PrintTarget.Any, "flowid", "flowid %s ", TcHandle.Format(classId));
        if (b.Ematches is { } tree) w.Raw(EmatchPrinter.Format(tree));
        if (b.Actions is { } actions) ActionPrinter.PrintList(w, actions, 1, bind: true, context.Devices);
    }

    public override Classifier Create(uint prio, ushort protocol, FilterChain chain, FilterNamespace ns) =>
        new BasicClassifier(prio, protocol);
}
