using Sched.Fast.Actions;
using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Classifiers.Matchall;

/// <summary>matchall's two halves: tc/f_matchall.c and net/sched/cls_matchall.c.</summary>
public sealed class MatchallKind : ClassifierKind
{
    public const string Usage =
        "Usage: ... matchall [skip_sw | skip_hw]\n" +
        "                 [ action ACTION_SPEC ] [ classid CLASSID ]\n" +
        "\n" +
        "Where: SELECTOR := SAMPLE SAMPLE ...\n" +
        "       FILTERID := X:Y:Z\n" +
        "       ACTION_SPEC := ... look at individual actions\n" +
        "\n" +
        "NOTE: CLASSID is parsed as hexadecimal input.";

    public override string Name => "matchall";

    public override FilterRequest ParseOptions(string? handle, TcArgs args, DeviceTable devices)
    {
        uint h = handle is null ? 0 : StrtolHandle(handle);
        if (!args.HasMore) return new FilterRequest(h, null);
        uint? classId = null;
        List<ActionItem>? actions = null;
        uint flags = 0;
        while (args.HasMore)
        {
            if (args.Matches("classid") || args.Is("flowid"))
            {
                string v = args.NextArg();
                if (!TcHandle.TryParseClassId(v, out uint c)) throw new TcException("Illegal \"classid\"");
                classId = c;
            }
            else if (args.Matches("action"))
            {
                args.NextArg();
                actions = ParseActions(args, devices, actions);
                continue;
            }
            else if (args.Is("skip_hw"))
            {
                // f_matchall.c moves on with NEXT_ARG(): the flag cannot be the last word.
                args.NextArg();
                flags |= ClassifierFlags.SkipHw;
                continue;
            }
            else if (args.Is("skip_sw"))
            {
                args.NextArg();
                flags |= ClassifierFlags.SkipSw;
                continue;
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
        if (flags == (ClassifierFlags.SkipHw | ClassifierFlags.SkipSw))
            throw new TcException("skip_hw and skip_sw are mutually exclusive");
        return new FilterRequest(h, new MatchallSpec
        {
            ClassId = classId,
            Flags = flags != 0 ? flags : null,
            Actions = actions,
        });
    }

    /// <summary>strtol(handle, NULL, 0): anything that is not a number is 0; only LONG_MIN/MAX are refused.</summary>
    internal static uint StrtolHandle(string handle)
    {
        long h = CStrtol.Strtol(handle, 0, 0, out _, out _);
        if (h == long.MinValue || h == long.MaxValue)
            throw new TcException($"Illegal handle \"{handle}\", must be numeric.");
        return unchecked((uint)h);
    }

    /// <summary>parse_action() inside a filter: a failure adds "Illegal "action"".</summary>
    internal static List<ActionItem> ParseActions(TcArgs args, DeviceTable devices, List<ActionItem>? previous)
    {
        List<ActionItem> items;
        try
        {
            items = ActionParser.Parse(args, devices);
        }
        catch (TcException e) when (!e.Exits)
        {
            throw new TcException(ActionParser.Join(e.Message, "Illegal \"action\""));
        }
        // A second "action" keyword adds another TCA_*_ACT attribute; the kernel keeps the last.
        _ = previous;
        return items;
    }

    public override void PrintOptions(TcWriter w, FilterDump dump, FilterPrintContext context)
    {
        if (dump.Options is not MatchallSpec m) return;
        if (dump.Handle != 0) w.Uint(PrintTarget.Any, "handle", "handle 0x%x ", dump.Handle);
        if (m.ClassId is { } classId) w.String(PrintTarget.Any, "flowid", "flowid %s ", TcHandle.Format(classId));
        if (m.Flags is { } flags)
        {
            if ((flags & ClassifierFlags.SkipHw) != 0) w.Bool(PrintTarget.Any, "skip_hw", "\n  skip_hw", true);
            if ((flags & ClassifierFlags.SkipSw) != 0) w.Bool(PrintTarget.Any, "skip_sw", "\n  skip_sw", true);
            if ((flags & ClassifierFlags.InHw) != 0) w.Bool(PrintTarget.Any, "in_hw", "\n  in_hw", true);
            else if ((flags & ClassifierFlags.NotInHw) != 0) w.Bool(PrintTarget.Any, "not_in_hw", "\n  not_in_hw", true);
        }
        if (w.Options.ShowStats > 0 && m.RuleHits is { } hits)
            w.Uint(PrintTarget.Any, "rule_hit", " (rule hit %llu)", hits);
        if (m.Actions is { } actions) ActionPrinter.PrintList(w, actions, 1, bind: true, context.Devices);
    }

    public override Classifier Create(uint prio, ushort protocol, FilterChain chain, FilterNamespace ns) =>
        new MatchallClassifier(prio, protocol);
}
