using System.Globalization;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Actions;

/// <summary>
/// Control verdicts as tc spells them (tc/tc_util.c action_a2n(), action_n2a(), parse_action_control(),
/// print_action_control()): "pass", "drop", "goto chain 5", "jump 2", ...
/// </summary>
public static class ActionControl
{
    private static readonly (string Name, int Code)[] s_names =
    [
        ("continue", TcAct.Unspec), ("drop", TcAct.Shot), ("shot", TcAct.Shot), ("pass", TcAct.Ok), ("ok", TcAct.Ok),
        ("reclassify", TcAct.Reclassify), ("pipe", TcAct.Pipe), ("goto", TcAct.GotoChain), ("jump", TcAct.Jump),
        ("trap", TcAct.Trap),
    ];

    /// <summary>action_a2n(): a verdict word (any prefix, first match wins) or, when allowed, a number.</summary>
    public static bool TryParseName(string word, out int code, bool allowNumber = false)
    {
        foreach (var (name, c) in s_names)
        {
            if (TcArgs.IsPrefixOf(word, name))
            {
                code = c;
                return true;
            }
        }
        code = 0;
        return allowNumber && int.TryParse(word, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite,
            CultureInfo.InvariantCulture, out code);
    }

    /// <summary>Whether <paramref name="word"/> names a verdict (m_action.c uses this to spot a bare "drop").</summary>
    public static bool IsName(string word) => TryParseName(word, out _);

    /// <summary>action_n2a(): "pass", "drop", "goto", "jump", ... or the number.</summary>
    public static string Name(int code)
    {
        if (TcAct.IsExt(code, TcAct.GotoChain)) return "goto";
        if (TcAct.IsExt(code, TcAct.Jump)) return "jump";
        return code switch
        {
            TcAct.Unspec => "continue",
            TcAct.Ok => "pass",
            TcAct.Shot => "drop",
            TcAct.Reclassify => "reclassify",
            TcAct.Pipe => "pipe",
            TcAct.Stolen => "stolen",
            TcAct.Trap => "trap",
            _ => code.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// parse_action_control(): the verdict at the cursor, with "goto chain N" and "jump N" taking their argument,
    /// leaving the cursor after it. Returns false (having printed nothing) when the word is not a verdict and
    /// <paramref name="quiet"/> is set; otherwise errors are thrown as tc prints them.
    /// </summary>
    public static bool TryParse(TcArgs args, out int code, bool allowNumber = false, bool quiet = false)
    {
        code = 0;
        if (!args.HasMore) return false;
        if (!TryParseName(args.Current, out int result, allowNumber))
        {
            if (quiet) return false;
            throw new TcException($"Bad action type {args.Current}");
        }
        if (result == TcAct.GotoChain)
        {
            args.NextArg();
            if (!args.Matches("chain")) throw new TcException("\"chain index\" expected");
            string value = args.NextArg();
            if (!CStrtol.TryParseU32(value, 10, out uint chain) || chain > TcAct.ExtValMask)
                throw new TcException("Illegal \"chain index\"");
            result |= (int)chain;
        }
        if (result == TcAct.Jump)
        {
            string value = args.NextArg();
            if (!CStrtol.TryParseU32(value, 10, out uint count) || count > TcAct.ExtValMask)
                throw new TcException($"Invalid \"jump count\" ({value})");
            result |= (int)count;
        }
        args.Advance();
        code = result;
        return true;
    }

    /// <summary>print_action_control(): prefix, the verdict as a JSON object "control_action", suffix.</summary>
    public static void Print(TcWriter w, string prefix, int code, string suffix)
    {
        w.String(PrintTarget.Plain, null, "%s", prefix);
        w.OpenObject("control_action");
        w.String(PrintTarget.Any, "type", "%s", Name(code));
        if (TcAct.IsExt(code, TcAct.GotoChain))
            w.Uint(PrintTarget.Any, "chain", " chain %u", (uint)(code & TcAct.ExtValMask));
        if (TcAct.IsExt(code, TcAct.Jump))
            w.Uint(PrintTarget.Any, "jump", " %u", (uint)(code & TcAct.ExtValMask));
        w.CloseObject();
        w.String(PrintTarget.Plain, null, "%s", suffix);
    }
}
