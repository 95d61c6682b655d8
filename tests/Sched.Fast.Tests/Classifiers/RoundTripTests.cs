using System.Text.RegularExpressions;
using CsCheck;
using Sched.Fast.Actions;
using Sched.Fast.Actions.Gact;
using Sched.Fast.Classifiers;
using Sched.Fast.Classifiers.U32;
using Sched.Fast.Devices;
using Sched.Fast.Ematches;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Classifiers.Support;

namespace Sched.Fast.Tests.Classifiers;

/// <summary>
/// Generated option sets: what tc parses is what the kernel half stores and dumps, and what is printed parses back
/// to the same options (where tc's printed form is itself tc syntax: u32 keys, offsets and hash keys, ematch trees,
/// gact verdicts).
/// </summary>
public sealed partial class RoundTripTests
{
    private static readonly DeviceTable s_devices = new();

    // ---- u32 ----

    private static readonly Gen<string> s_u32Match = Gen.OneOf(
        Gen.Select(Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[0, 32])
            .Select((a, b, len) => $"match ip src 198.{a}.{b}.1/{len}"),
        Gen.Select(Gen.Int[0, 255], Gen.Int[0, 32]).Select((a, len) => $"match ip dst 10.{a}.0.0/{len}"),
        Gen.Select(Gen.Int[0, 65535], Gen.OneOfConst("0xffff", "0xff00", "0x00ff")).Select((p, m) => $"match ip dport {p} {m}"),
        Gen.Int[0, 65535].Select(p => $"match ip sport {p} 0xffff"),
        Gen.Int[0, 255].Select(p => $"match ip protocol {p} 0xff"),
        Gen.Select(Gen.Int[0, 255], Gen.Int[-16, 60]).Select((v, at) => $"match u8 {v} 0xff at {at}"),
        Gen.Select(Gen.Int[0, 65535], Gen.Int[0, 30]).Select((v, at) => $"match u16 {v} 0xffff at {at * 2}"),
        Gen.Select(Gen.UInt, Gen.UInt, Gen.Int[-4, 16]).Select((v, m, at) => $"match u32 0x{v:x} 0x{m:x} at {at * 4}"),
        Gen.Select(Gen.Int[0, 65535], Gen.Bool).Select((p, tcp) => $"match {(tcp ? "tcp" : "udp")} dst {p} 0xffff"),
        Gen.Int[0, 255].Select(t => $"match icmp type {t} 0xff"),
        Gen.Select(Gen.Int[0, 65535], Gen.Int[0, 10]).Select((v, at) => $"match u16 {v} 0xffff at nexthdr+{at * 2}"));

    private static readonly Gen<string> s_u32Options = Gen.Select(
        s_u32Match.Array[1, 6],
        Gen.OneOfConst("", " offset at 0 mask 0x0f00 shift 6 eat", " offset plus 20", " offset at 2 mask 0xff00 shift 8 plus 4"),
        Gen.OneOfConst("", " hashkey mask 0x000000ff at 12", " hashkey mask 0xffff0000 at 16"),
        Gen.OneOfConst("", " classid 1:10", " flowid 1:a", " action drop", " classid 1:2 action gact pass"))
        .Select((matches, offset, hash, tail) => string.Join(' ', matches) + offset + hash + tail);

    [Fact]
    public void U32_options_are_stored_and_dumped_as_parsed_and_printed_keys_parse_back()
    {
        s_u32Options.Sample(options =>
        {
            FilterRequest parsed;
            try
            {
                parsed = new U32Kind().ParseOptions(null, TcArgs.Parse(options), s_devices);
            }
            catch (TcException)
            {
                return; // keys that contradict each other at one offset: tc refuses them too
            }
            var spec = (U32Spec)parsed.Options!;

            var tc = new TcHarness();
            Assert.Equal(0, tc.Run("qdisc add dev t0 root handle 1: htb").ExitCode);
            TcResult added = tc.Run("filter add dev t0 parent 1: protocol ip prio 1 u32 " + options);
            Assert.True(added.ExitCode == 0, added.Stderr);
            var tp = (U32Classifier)tc.Qdisc("t0", 0x10000).Filters.FindChain(0)!.Classifiers[0];
            U32KeyNode node = tp.Root.Nodes.Single();
            var dumped = (U32Spec)tp.Dump(node).Options!;
            Assert.Equal(spec.Selector, dumped.Selector);
            Assert.Equal(spec.ClassId, dumped.ClassId);
            Assert.Equal(spec.Actions?.Count, dumped.Actions?.Count);

            // The printed keys, offset and hash key, as tc syntax again.
            string shown = tc.Run("filter show dev t0").Stdout;
            string again = Reparseable(shown);
            var reparsed = (U32Spec)new U32Kind().ParseOptions(null, TcArgs.Parse(again), s_devices).Options!;
            Assert.Equal(spec.Selector!.Keys, reparsed.Selector!.Keys);
            Assert.Equal(spec.Selector.Off, reparsed.Selector.Off);
            Assert.Equal(spec.Selector.OffOff, reparsed.Selector.OffOff);
            Assert.Equal(spec.Selector.OffMask, reparsed.Selector.OffMask);
            Assert.Equal(spec.Selector.OffShift, reparsed.Selector.OffShift);
            Assert.Equal(spec.Selector.HashMask, reparsed.Selector.HashMask);
            Assert.Equal(spec.Selector.HashOffset, reparsed.Selector.HashOffset);
        }, iter: 150);
    }

    /// <summary>Turns u32's printed key, offset and hash lines into u32 options.</summary>
    private static string Reparseable(string shown)
    {
        var parts = new List<string>();
        foreach (Match m in KeyLine().Matches(shown))
            parts.Add($"match u32 0x{m.Groups[1].Value} 0x{m.Groups[2].Value} at {m.Groups[3].Value}{m.Groups[4].Value}");
        Match o = OffsetLine().Match(shown);
        if (o.Success)
        {
            parts.Add("offset");
            if (o.Groups[1].Success) parts.Add($"mask 0x{o.Groups[1].Value} shift {o.Groups[2].Value} at {o.Groups[3].Value}");
            if (o.Groups[4].Success) parts.Add($"plus {o.Groups[4].Value}");
            if (o.Groups[5].Success) parts.Add("eat");
        }
        Match h = HashLine().Match(shown);
        if (h.Success) parts.Add($"hashkey mask 0x{h.Groups[1].Value} at {h.Groups[2].Value}");
        return string.Join(' ', parts);
    }

    [GeneratedRegex(@"  match ([0-9a-f]{8})/([0-9a-f]{8}) at (nexthdr\+)?(-?\d+)")]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"    offset (?:([0-9a-f]+)>>(\d+) at (-?\d+) )?(?:plus (\d+) )?( eat )?")]
    private static partial Regex OffsetLine();

    [GeneratedRegex(@"    hash mask ([0-9a-f]{8}) at (-?\d+)")]
    private static partial Regex HashLine();

    // ---- ematch trees ----

    private static readonly Gen<string> s_cmp =
        Gen.Select(Gen.OneOfConst("u8", "u16", "u32"), Gen.Int[0, 60], Gen.Int[0, 2], Gen.Int[0, 0x7fff],
                Gen.OneOfConst("eq", "gt", "lt"), Gen.Int[0, 0x7fffffff], Gen.Bool)
            .Select((a, at, layer, mask, op, v, trans) =>
                $"cmp({a} at {at} layer {layer}{(mask != 0 ? $" mask 0x{mask:x}" : "")}{(trans ? " trans" : "")} {op} {v})");

    private static readonly Gen<string> s_u32Ematch =
        Gen.Select(Gen.UInt, Gen.UInt, Gen.Int[0, 15]).Select((v, m, at) => $"u32(u32 0x{v:x} 0x{m:x} at {at * 4})");

    private static readonly Gen<string> s_meta =
        Gen.Select(Gen.OneOfConst("priority", "nf_mark", "tc_index", "pkt_len", "protocol", "vlan"),
                Gen.OneOfConst("eq", "gt", "lt"), Gen.Int[0, 0x7fffffff], Gen.Int[0, 4], Gen.Int[0, 0xffff])
            .Select((id, op, v, shift, mask) =>
                $"meta({id}{(shift != 0 ? $" shift {shift}" : "")}{(mask != 0 ? $" mask 0x{mask:x}" : "")} {op} {v})");

    private static Gen<string> Expr(int depth, Gen<string> leaf)
    {
        Gen<string> term = depth > 0 ? Gen.OneOf(leaf, Expr(depth - 1, leaf).Select(e => $"({e})")) : leaf;
        Gen<string> maybeNot = Gen.Select(term, Gen.Bool, (t, not) => (not ? "not " : "") + t);
        return Gen.Select(maybeNot.Array[1, 3], Gen.OneOfConst(" and ", " or ").Array[2, 2],
            (terms, rels) => string.Concat(terms.Select((t, i) => i == 0 ? t : rels[i % 2] + t)));
    }

    [Fact]
    public void Ematch_trees_print_as_expressions_that_parse_back_to_the_same_tree()
    {
        // cmp and meta print in their own syntax; u32 and nbyte print a form of their own (checked below).
        Expr(2, Gen.OneOf(s_cmp, s_meta)).Sample(expr =>
        {
            EmatchTreeSpec tree = Parse(expr);
            string printed = EmatchPrinter.Format(tree);
            EmatchTreeSpec again = Parse(printed.Replace('\n', ' '));
            Assert.Equal(tree, again);
        }, iter: 300);
    }

    [Fact]
    public void Ematch_trees_are_stored_and_dumped_as_parsed()
    {
        Expr(2, Gen.OneOf(s_cmp, s_meta, s_u32Ematch)).Sample(expr =>
        {
            EmatchTreeSpec tree = Parse(expr);
            string printed = EmatchPrinter.Format(tree);
            var tc = new TcHarness();
            Assert.Equal(0, tc.Run("qdisc add dev t0 root handle 1: htb").ExitCode);
            TcResult added = tc.Run($"filter add dev t0 parent 1: protocol ip prio 1 basic match '{expr}' classid 1:1");
            Assert.True(added.ExitCode == 0, added.Stderr);
            Assert.Contains(printed, tc.Run("filter show dev t0").Stdout);
        }, iter: 200);
    }

    private static EmatchTreeSpec Parse(string expr)
    {
        var args = new TcArgs([.. TcTokenizer.Split(expr), "classid"]);
        return EmatchParser.Parse(args)!;
    }

    // ---- gact ----

    private static readonly Gen<string> s_verdict = Gen.OneOf(
        Gen.OneOfConst("pass", "ok", "drop", "shot", "pipe", "continue", "reclassify", "trap"),
        Gen.Int[1, 9].Select(n => $"jump {n}"));

    [Fact]
    public void Gact_verdicts_are_stored_as_parsed_and_print_back()
    {
        Gen.Select(s_verdict, Gen.OneOfConst("", " random determ", " random netrand"), s_verdict, Gen.Int[0, 10000],
                Gen.Int[0, 5000])
            .Sample((verdict, random, fallback, val, index) =>
            {
                string words = $"gact {verdict}{(random.Length > 0 ? $"{random} {fallback} {val}" : "")}" +
                               (index != 0 ? $" index {index}" : "");
                var spec = (GactSpec)new GactKind().Parse(TcArgs.Parse(words), s_devices);
                var tc = new TcHarness();
                TcResult r = tc.Run("actions add action " + words);
                Assert.True(r.ExitCode == 0, r.Stderr);
                TcAction a = tc.Namespace.Actions.For("gact").Actions.Single();
                var dumped = (GactSpec)a.DumpOptions();
                Assert.Equal(spec.Control, dumped.Control);
                Assert.Equal(spec.Prob?.Type, dumped.Prob?.Type);
                Assert.Equal(spec.Prob?.Control, dumped.Prob?.Control);
                Assert.Equal(spec.Prob is { } p ? Math.Max((ushort)1, p.Value) : null, dumped.Prob?.Value);

                // "gact action V\n random type T F val N\n index I": parse it back.
                string shown = tc.Run($"actions get action gact index {a.Index}").Stdout;
                Match m = GactLines().Match(shown);
                Assert.True(m.Success, shown);
                string back = $"gact {m.Groups[1].Value}" +
                              (m.Groups[2].Value != "none" ? $" random {m.Groups[2].Value} {m.Groups[3].Value} {m.Groups[4].Value}" : "") +
                              $" index {m.Groups[5].Value}";
                var reparsed = (GactSpec)new GactKind().Parse(TcArgs.Parse(back), s_devices);
                Assert.Equal(dumped.Control, reparsed.Control);
                Assert.Equal(dumped.Prob, reparsed.Prob);
                Assert.Equal(a.Index, reparsed.Index);
            }, iter: 100);
    }

    [GeneratedRegex(@"gact action ([a-z]+(?: \d+)?)\n\t random type ([a-z]+) ([a-z]+(?: \d+)?) val (\d+)\n\t index (\d+)")]
    private static partial Regex GactLines();
}
