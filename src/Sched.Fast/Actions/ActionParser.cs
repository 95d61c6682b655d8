using System.Globalization;
using Sched.Fast.Devices;
using Sched.Fast.Tc;

namespace Sched.Fast.Actions;

/// <summary>
/// tc/m_action.c parse_action(): a list of actions ("action gact drop action mirred egress ..."), each with its
/// generic trailers (cookie, hw_stats, no_percpu, skip_sw, skip_hw). A bare verdict ("drop") is a gact action.
/// <para>
/// Errors follow tc: a kind's "return -1" arrives as a <see cref="TcException"/> with exit code 1 and this parser
/// adds its own lines ("bad action parsing", "parse_action: bad value (...)"); exits (usage(), invarg()) carry
/// code 255 and pass through untouched.
/// </para>
/// </summary>
public static class ActionParser
{
    /// <summary>TCA_ACT_MAX_PRIO: the kernel uses at most this many actions of one list.</summary>
    public const int MaxActions = 32;

    /// <summary>TC_COOKIE_MAX_SIZE in bytes.</summary>
    public const int CookieMaxBytes = 16;

    private static readonly (string Name, byte Type)[] s_hwStats =
        [("immediate", ActionFlags.HwStatsImmediate), ("delayed", ActionFlags.HwStatsDelayed), ("disabled", 0)];

    public static List<ActionItem> Parse(TcArgs args, DeviceTable devices)
    {
        var items = new List<ActionItem>();
        if (!args.HasMore) throw Soft("");
        bool expectParameters = false;
        while (args.HasMore)
        {
            string w = args.Current;
            if (w == "action")
            {
                args.Advance();
                expectParameters = true;
                continue;
            }
            if (w is "flowid" or "classid") break;
            if (w == "help") throw Soft("");
            if (IsNewCommand(w))
            {
                if (items.Count > 0) break;
                return items;
            }

            string kindName = ActionControl.IsName(w) ? "gact" : w;
            expectParameters = false;
            // get_action_kind(): a kind tc does not know falls back to gact, whose parser then rejects the word.
            ActionKind kind = ActionKinds.Find(kindName) ?? ActionKinds.Find("gact")!;
            kindName = kind.Name;
            ActionSpec spec;
            int start = args.Position;
            try
            {
                spec = kind.Parse(args, devices);
            }
            catch (TcException e) when (!e.Exits)
            {
                // The kind's parser fails without handing back its position: tc reports where the action began.
                args.Seek(start);
                throw BadValue(args, Join(e.Message, "bad action parsing"));
            }

            string? cookie = null;
            if (args.Is("cookie"))
            {
                string value = args.NextArg();
                if (value.Length > CookieMaxBytes * 2)
                {
                    throw Invarg(
                        string.Format(CultureInfo.InvariantCulture, "{0} Max allowed size {1}", value.Length, CookieMaxBytes * 2),
                        value);
                }
                if (value.Length % 2 != 0 || !value.All(char.IsAsciiHexDigit))
                    throw Invarg("cookie must be a hex string\n", value);
                cookie = value.ToLowerInvariant();
                args.Advance();
            }

            byte? hwStats = null;
            if (args.Matches("hw_stats"))
            {
                string value = args.NextArg();
                hwStats = ParseHwStats(value) ?? throw Invarg("value is invalid\n", value);
                args.Advance();
            }

            uint flags = 0;
            if (args.Is("no_percpu"))
            {
                flags |= ActionFlags.NoPercpuStats;
                args.Advance();
            }
            for (int pass = 0; pass < 2; pass++)
            {
                if (args.Is("skip_sw"))
                {
                    flags |= ActionFlags.SkipSw;
                    args.Advance();
                }
                else if (args.Is("skip_hw"))
                {
                    flags |= ActionFlags.SkipHw;
                    args.Advance();
                }
            }

            items.Add(new ActionItem(kindName, spec) { Cookie = cookie, HwStats = hwStats, Flags = flags });
        }
        if (expectParameters) throw BadValue(args, "bad action empty 1");
        return items;
    }

    /// <summary>new_cmd(): a word that starts the next command of "tc actions".</summary>
    public static bool IsNewCommand(string w) =>
        TcArgs.IsPrefixOf(w, "change") || TcArgs.IsPrefixOf(w, "replace") || TcArgs.IsPrefixOf(w, "delete") ||
        TcArgs.IsPrefixOf(w, "get") || TcArgs.IsPrefixOf(w, "add");

    private static byte? ParseHwStats(string word)
    {
        foreach (var (name, type) in s_hwStats)
        {
            if (TcArgs.IsPrefixOf(word, name)) return type;
        }
        return null;
    }

    /// <summary>The "bad_val" exit of parse_action(): where parsing stopped.</summary>
    private static TcException BadValue(TcArgs args, string before) =>
        Soft(Join(before, $"parse_action: bad value ({args.Remaining}:{args.PeekOrNull() ?? "(null)"})!"));

    /// <summary>iproute2's invarg(): prints and exits.</summary>
    public static TcException Invarg(string message, string arg) => TcException.InvalidArgument(message, arg);

    /// <summary>A parser's "return -1": the caller adds its own lines.</summary>
    public static TcException Soft(string message) => new(message, 1);

    /// <summary>Joins stderr lines, skipping empty ones.</summary>
    public static string Join(string first, string second) =>
        first.Length == 0 ? second : second.Length == 0 ? first : first + "\n" + second;
}
