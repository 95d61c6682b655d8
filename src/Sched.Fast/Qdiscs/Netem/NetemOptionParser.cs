using System.Globalization;
using Sched.Fast.Tc;

namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// tc/q_netem.c netem_parse_opt() of iproute2 6.1, word for word: the same keywords in the same order (so the same
/// abbreviations win: "d" is delay, "s" is slot), the same defaults, quirks and messages. One addition: "seed N"
/// (iproute2 6.7), matched after every 6.1 keyword so it changes no abbreviation 6.1 accepts.
/// </summary>
internal static class NetemOptionParser
{
    public const string Usage =
        "Usage: ... netem [ limit PACKETS ]\n" +
        "                 [ delay TIME [ JITTER [CORRELATION]]]\n" +
        "                 [ distribution {uniform|normal|pareto|paretonormal} ]\n" +
        "                 [ corrupt PERCENT [CORRELATION]]\n" +
        "                 [ duplicate PERCENT [CORRELATION]]\n" +
        "                 [ loss random PERCENT [CORRELATION]]\n" +
        "                 [ loss state P13 [P31 [P32 [P23 P14]]]\n" +
        "                 [ loss gemodel PERCENT [R [1-H [1-K]]]\n" +
        "                 [ ecn ]\n" +
        "                 [ reorder PERCENT [CORRELATION] [ gap DISTANCE ]]\n" +
        "                 [ rate RATE [PACKETOVERHEAD] [CELLSIZE] [CELLOVERHEAD]]\n" +
        "                 [ slot MIN_DELAY [MAX_DELAY] [packets MAX_PACKETS] [bytes MAX_BYTES]]\n" +
        "                 [ slot distribution {uniform|normal|pareto|paretonormal|custom}\n" +
        "                   DELAY JITTER [packets MAX_PACKETS] [bytes MAX_BYTES]]";

    private enum LossType { Unspecified, State, GilbertElliott }

    public static NetemSpec Parse(TcArgs args, TcParseContext context)
    {
        uint limit = NetemSpec.DefaultLimit, latency = 0, jitter = 0, loss = 0, gap = 0, duplicate = 0;
        uint delayCorr = 0, lossCorr = 0, dupCorr = 0;
        bool corrPresent = false, reorderPresent = false, corruptPresent = false, ratePresent = false;
        bool slotPresent = false, ecnPresent = false;
        uint reorderProbability = 0, reorderCorrelation = 0, corruptProbability = 0, corruptCorrelation = 0;
        var lossType = LossType.Unspecified;
        uint p13 = 0, p31 = 0, p32 = 0, p23 = 0, p14 = 0;
        uint geP = 0, geR = 0, geH = 0, geK1 = 0;
        ulong rate64 = 0;
        int packetOverhead = 0, cellOverhead = 0;
        uint cellSize = 0;
        long slotMin = 0, slotMax = 0, slotDistDelay = 0, slotDistJitter = 0;
        int slotPackets = 0, slotBytes = 0;
        ulong? seed = null;
        NetemDistributionTable? delayDist = null, slotDist = null;

        for (; args.HasMore; args.Advance())
        {
            if (args.Matches("limit"))
            {
                if (!TcUnits.TryParseSize(args.NextArg(), out limit)) throw Illegal("limit", args);
            }
            else if (args.Matches("latency") || args.Matches("delay"))
            {
                latency = Ticks(args.NextArg(), "latency", args);
                if (NextIsNumber(args))
                {
                    jitter = Ticks(args.NextArg(), "latency", args);
                    if (NextIsNumber(args))
                    {
                        corrPresent = true;
                        delayCorr = Percent(args.NextArg(), "latency", args);
                    }
                }
            }
            else if (args.Matches("loss") || args.Matches("drop"))
            {
                if (loss > 0 || lossType != LossType.Unspecified) throw Illegal("duplicate loss argument\n", args);
                string model = args.NextArg();
                // The old syntax "loss PERCENT" is random loss.
                if (StartsWithDigit(model) || model == "random")
                {
                    if (model == "random") args.NextArg();
                    loss = Percent(args.Current, "loss percent", args);
                    if (NextIsNumber(args))
                    {
                        corrPresent = true;
                        lossCorr = Percent(args.NextArg(), "loss correlation", args);
                    }
                }
                else if (model == "state")
                {
                    if (ParsePercent(args.NextArg(), out double first) != 0) throw Illegal("loss p13", args);
                    p13 = ScaledPercent(first);
                    p31 = ScaledPercent(1.0 - first);
                    p32 = ScaledPercent(0);
                    p23 = ScaledPercent(1.0);
                    p14 = ScaledPercent(0);
                    lossType = LossType.State;
                    if (!NextIsNumber(args)) continue;
                    p31 = Percent(args.NextArg(), "loss p31", args);
                    if (!NextIsNumber(args)) continue;
                    p32 = Percent(args.NextArg(), "loss p32", args);
                    if (!NextIsNumber(args)) continue;
                    p23 = Percent(args.NextArg(), "loss p23", args);
                    if (!NextIsNumber(args)) continue;
                    p14 = Percent(args.NextArg(), "loss p14", args);
                }
                else if (model == "gemodel")
                {
                    if (ParsePercent(args.NextArg(), out double p) != 0) throw Illegal("loss gemodel p", args);
                    geP = ScaledPercent(p);
                    geR = ScaledPercent(1.0 - p);
                    geH = ScaledPercent(0);
                    geK1 = ScaledPercent(0);
                    lossType = LossType.GilbertElliott;
                    if (!NextIsNumber(args)) continue;
                    geR = Percent(args.NextArg(), "loss gemodel r", args);
                    if (!NextIsNumber(args)) continue;
                    // The option is 1-h; the kernel wants h.
                    geH = uint.MaxValue - Percent(args.NextArg(), "loss gemodel h", args);
                    if (!NextIsNumber(args)) continue;
                    geK1 = Percent(args.NextArg(), "loss gemodel k", args);
                }
                else
                {
                    throw new TcException($"Unknown loss parameter: {model}", 1, model);
                }
            }
            else if (args.Matches("ecn"))
            {
                ecnPresent = true;
            }
            else if (args.Matches("reorder"))
            {
                reorderPresent = true;
                reorderProbability = Percent(args.NextArg(), "reorder", args);
                if (NextIsNumber(args))
                {
                    corrPresent = true;
                    reorderCorrelation = Percent(args.NextArg(), "reorder", args);
                }
            }
            else if (args.Matches("corrupt"))
            {
                corruptPresent = true;
                corruptProbability = Percent(args.NextArg(), "corrupt", args);
                if (NextIsNumber(args))
                {
                    corrPresent = true;
                    corruptCorrelation = Percent(args.NextArg(), "corrupt", args);
                }
            }
            else if (args.Matches("gap"))
            {
                if (!TryParseU32(args.NextArg(), out gap)) throw Illegal("gap", args);
            }
            else if (args.Matches("duplicate"))
            {
                duplicate = Percent(args.NextArg(), "duplicate", args);
                // tc 6.1 parses this correlation but does not mark TCA_NETEM_CORR present for it: it reaches the
                // kernel only when another correlation is given too.
                if (NextIsNumber(args)) dupCorr = Percent(args.NextArg(), "duplicate", args);
            }
            else if (args.Matches("distribution"))
            {
                delayDist = LoadTable(args.NextArg());
            }
            else if (args.Matches("rate"))
            {
                ratePresent = true;
                string text = args.NextArg();
                if (text.Contains('%'))
                {
                    if (!TryParsePercentRate(text, context, out rate64, out string error))
                        throw new TcException(error + "Illegal \"rate\"", 1, text);
                }
                else if (!TcUnits.TryParseRate(text, out rate64))
                {
                    throw Illegal("rate", args);
                }
                if (NextIsSignedNumber(args) && !TryParseS32(args.NextArg(), out packetOverhead)) throw Illegal("rate", args);
                if (NextIsNumber(args) && !TryParseU32(args.NextArg(), out cellSize)) throw Illegal("rate", args);
                if (NextIsSignedNumber(args) && !TryParseS32(args.NextArg(), out cellOverhead)) throw Illegal("rate", args);
            }
            else if (args.Matches("slot"))
            {
                if (NextIsNumber(args))
                {
                    slotPresent = true;
                    if (!TryParseTime64(args.NextArg(), out slotMin)) throw Illegal("slot min_delay", args);
                    if (NextIsNumber(args))
                    {
                        if (!TryParseTime64(args.NextArg(), out slotMax) || slotMax < slotMin)
                            throw Illegal("slot max_delay", args);
                    }
                    else
                    {
                        slotMax = slotMin;
                    }
                }
                else
                {
                    string word = args.NextArg();
                    if (word != "distribution") throw new TcException($"Unknown slot parameter: {word}", 1, word);
                    slotPresent = true;
                    slotDist = LoadTable(args.NextArg());
                    if (!TryParseTime64(args.NextArg(), out slotDistDelay)) throw Illegal("slot delay", args);
                    if (!TryParseTime64(args.NextArg(), out slotDistJitter)) throw Illegal("slot jitter", args);
                    if (slotDistJitter <= 0) throw new TcException("Non-positive jitter", 1, args.Current);
                }
                if (NextMatches(args, "packets"))
                {
                    args.NextArg();
                    if (args.PeekOrNull(1) is not { } n || !TryParseS32(n, out slotPackets)) throw Illegal("slot packets", args);
                    args.NextArg();
                }
                if (NextMatches(args, "bytes"))
                {
                    args.NextArg();
                    if (args.PeekOrNull(1) is not { } n || !TcUnits.TryParseSize(n, out uint bytes)) throw Illegal("slot bytes", args);
                    slotBytes = unchecked((int)bytes);
                    args.NextArg();
                }
            }
            else if (args.Matches("seed"))
            {
                if (!TryParseU64(args.NextArg(), out ulong s)) throw Illegal("seed", args);
                seed = s;
            }
            else
            {
                string word = args.Current;
                throw new TcException(word == "help" ? Usage : $"What is \"{word}\"?\n{Usage}", 1, word);
            }
        }

        if (reorderProbability != 0)
        {
            if (latency == 0) throw new TcException($"reordering not possible without specifying some delay\n{Usage}");
            if (gap == 0) gap = 1;
        }
        else if (gap > 0)
        {
            throw new TcException($"gap specified without reorder probability\n{Usage}");
        }
        if (ecnPresent && loss <= 0 && lossType == LossType.Unspecified)
            throw new TcException($"ecn requested without loss model\n{Usage}");
        if (delayDist is not null && (latency == 0 || jitter == 0))
            throw new TcException($"distribution specified but no latency and jitter values\n{Usage}");

        return new NetemSpec
        {
            Limit = limit,
            LatencyTicks = latency,
            JitterTicks = jitter,
            Loss = loss,
            Gap = gap,
            Duplicate = duplicate,
            Correlation = corrPresent ? new NetemCorrelationSpec(delayCorr, lossCorr, dupCorr) : null,
            Reorder = reorderPresent ? new NetemReorderSpec(reorderProbability, reorderCorrelation) : null,
            Ecn = ecnPresent ? 1u : null,
            Corrupt = corruptPresent ? new NetemCorruptSpec(corruptProbability, corruptCorrelation) : null,
            Slot = slotPresent
                ? new NetemSlotSpec(slotMin, slotMax, slotPackets, slotBytes, slotDistDelay, slotDistJitter)
                : null,
            LossModel = lossType switch
            {
                LossType.State => new NetemStateLossSpec(p13, p31, p32, p14, p23),
                LossType.GilbertElliott => new NetemGilbertElliottSpec(geP, geR, geH, geK1),
                _ => null,
            },
            Rate = ratePresent
                ? new NetemRateSpec(rate64 >= 1UL << 32 ? uint.MaxValue : (uint)rate64, packetOverhead, cellSize, cellOverhead)
                : null,
            Rate64 = ratePresent && rate64 >= 1UL << 32 ? rate64 : null,
            Seed = seed,
            DelayDistribution = delayDist,
            SlotDistribution = slotDist,
        };
    }

    // ---- argv helpers (NEXT_IS_NUMBER() and friends) ----

    private static bool StartsWithDigit(string s) => s.Length > 0 && char.IsAsciiDigit(s[0]);

    private static bool NextIsNumber(TcArgs args) => args.PeekOrNull(1) is { } next && StartsWithDigit(next);

    private static bool NextIsSignedNumber(TcArgs args) =>
        args.PeekOrNull(1) is { Length: > 0 } next && (char.IsAsciiDigit(next[0]) || next[0] == '-');

    private static bool NextMatches(TcArgs args, string keyword) =>
        args.PeekOrNull(1) is { } next && TcArgs.IsPrefixOf(next, keyword);

    private static TcException Illegal(string what, TcArgs args) => TcException.Illegal(what, args.PeekOrNull());

    // ---- values ----

    /// <summary>get_ticks(): a time to psched ticks, refusing times whose ticks overflow 32 bits.</summary>
    private static uint Ticks(string text, string what, TcArgs args)
    {
        if (!NetemTicks.TryParseMicroseconds(text, out uint us)) throw Illegal(what, args);
        if (NetemTicks.IsTooBig(us))
            throw new TcException($"Illegal {us} time (too large)\nIllegal \"{what}\"", 1, text);
        return NetemTicks.MicrosecondsToTicks(us);
    }

    /// <summary>get_percent(): "25%" or "25" to a probability scaled to 2^32.</summary>
    private static uint Percent(string text, string what, TcArgs args)
    {
        if (ParsePercent(text, out double value) != 0) throw Illegal(what, args);
        return ScaledPercent(value);
    }

    /// <summary>set_percent(): rint(p * UINT32_MAX).</summary>
    public static uint ScaledPercent(double p) => (uint)Math.Round(p * uint.MaxValue, MidpointRounding.ToEven);

    /// <summary>tc_util.c parse_percent(): 0 on success, 1 when outside [0, 100]%, -1 when malformed.</summary>
    private static int ParsePercent(string text, out double value)
    {
        if (!TcUnits.TryStrtod(text, out double number, out string rest))
        {
            number = 0;
            rest = text;
        }
        value = number / 100.0;
        if (value > 1.0 || value < 0.0) return 1;
        if (rest.Length > 0 && rest != "%") return -1;
        return 0;
    }

    /// <summary>get_percent_rate64(): a share of the device's speed, with tc's messages on failure.</summary>
    private static bool TryParsePercentRate(string text, TcParseContext context, out ulong rate, out string error)
    {
        rate = 0;
        error = "";
        if (context.Device is not { } device)
        {
            error = "No device specified; specify device to rate limit by percentage\n";
            return false;
        }
        string file = $"/sys/class/net/{device.Name}/speed";
        if (device.SpeedMbit is not { } mbit)
        {
            error = $"property \"speed\" in file {file} is currently unknown\nFailed to parse {file}\n";
            return false;
        }
        // sscanf("%m[0-9.%]"): the leading run of digits, dots and percent signs.
        int n = 0;
        while (n < text.Length && (char.IsAsciiDigit(text[n]) || text[n] == '.' || text[n] == '%')) n++;
        int status = n == 0 ? -1 : ParsePercent(text[..n], out double share);
        if (status == 1)
        {
            error = $"Invalid rate specified; should be between [0,100]% but is {text}\n";
            return false;
        }
        if (status != 0)
        {
            error = "Specified rate value could not be read or is malformed\n";
            return false;
        }
        ParsePercent(text[..n], out share);
        string bits = (share * mbit * 1000 * 1000).ToString("F6", CultureInfo.InvariantCulture);
        if (bits.Length >= 20)
        {
            error = "Unable to parse calculated rate\n";
            return false;
        }
        return TcUnits.TryParseRate(bits, out rate);
    }

    /// <summary>
    /// lib/utils.c get_time64() of iproute2 6.1: a bare number is nanoseconds (TcUnits.TryParseTimeNs reads it as
    /// microseconds, as later iproute2 does).
    /// </summary>
    private static bool TryParseTime64(string text, out long ns)
    {
        ns = 0;
        if (!TcUnits.TryStrtod(text, out double t, out string rest)) return false;
        if (rest.Length > 0)
        {
            if (IsAny(rest, "s", "sec", "secs")) t *= 1e9;
            else if (IsAny(rest, "ms", "msec", "msecs")) t *= 1e6;
            else if (IsAny(rest, "us", "usec", "usecs")) t *= 1e3;
            else if (!IsAny(rest, "ns", "nsec", "nsecs")) return false;
        }
        ns = (long)t;
        return true;
    }

    private static bool IsAny(string s, string a, string b, string c) =>
        string.Equals(s, a, StringComparison.OrdinalIgnoreCase) || string.Equals(s, b, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(s, c, StringComparison.OrdinalIgnoreCase);

    private static NetemDistributionTable LoadTable(string name)
    {
        if (!NetemDistributionTable.TryLoad(name, out NetemDistributionTable? table, out string error))
            throw new TcException(error, 1, name);
        return table!;
    }

    // ---- lib/utils.c get_u32() / get_s32() / get_u64() with C's strtoul/strtol semantics ----

    /// <summary>get_u32(base 0): strtoul accepts a sign and wraps a negative value, which then fails the range check.</summary>
    private static bool TryParseU32(string text, out uint value)
    {
        value = 0;
        if (!TryStrtoull(text, 0, out ulong v, out bool negative) || negative && v != 0 || v > uint.MaxValue) return false;
        value = (uint)v;
        return true;
    }

    private static bool TryParseS32(string text, out int value)
    {
        value = 0;
        if (!TryStrtoull(text, 0, out ulong v, out bool negative)) return false;
        if (negative ? v > 1UL << 31 : v > int.MaxValue) return false;
        value = negative ? (int)-(long)v : (int)v;
        return true;
    }

    /// <summary>get_u64(base 10): strtoull's wrap of a negative number is kept ("-1" is 2^64 - 1).</summary>
    private static bool TryParseU64(string text, out ulong value)
    {
        value = 0;
        if (!TryStrtoull(text, 10, out ulong v, out bool negative)) return false;
        value = negative ? unchecked(0UL - v) : v;
        return true;
    }

    /// <summary>
    /// The magnitude and sign of a whole-string C integer (leading blanks, sign, 0x/0 prefixes for base 0); false
    /// on trailing characters, no digits, or overflow of 64 bits.
    /// </summary>
    private static bool TryStrtoull(string s, int radix, out ulong magnitude, out bool negative)
    {
        magnitude = 0;
        negative = false;
        int i = 0;
        while (i < s.Length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        if (radix == 0)
        {
            if (i + 2 < s.Length && s[i] == '0' && (s[i + 1] | 0x20) == 'x' && Uri.IsHexDigit(s[i + 2]))
            {
                radix = 16;
                i += 2;
            }
            else
            {
                radix = i < s.Length && s[i] == '0' ? 8 : 10;
            }
        }
        int start = i;
        for (; i < s.Length; i++)
        {
            int d = s[i] switch
            {
                >= '0' and <= '9' => s[i] - '0',
                >= 'a' and <= 'z' => s[i] - 'a' + 10,
                >= 'A' and <= 'Z' => s[i] - 'A' + 10,
                _ => 99,
            };
            if (d >= radix) break;
            UInt128 next = (UInt128)magnitude * (uint)radix + (uint)d;
            if (next > ulong.MaxValue) return false;
            magnitude = (ulong)next;
        }
        return i > start && i == s.Length;
    }
}
