using Sched.Fast.Shaping;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Tbf;

/// <summary>
/// tbf's two halves: iproute2's tc/q_tbf.c (tbf_parse_opt, tbf_print_opt, call for call) and the kernel's
/// tbf_init() (options are mandatory; tbf_change() validates them).
/// </summary>
public sealed class TbfKind : QdiscKind
{
    public const string Usage =
        "Usage: ... tbf limit BYTES burst BYTES[/BYTES] rate KBPS [ mtu BYTES[/BYTES] ]\n" +
        "\t[ peakrate KBPS ] [ latency TIME ] [ overhead BYTES ] [ linklayer TYPE ]";

    public override string Name => "tbf";

    public override bool IsClassful => true;

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        uint limit = 0, buffer = 0, mtu = 0, mpu = 0, latency = 0;
        int rateCellLog = -1, peakCellLog = -1;
        ushort overhead = 0;
        LinkLayer linkLayer = LinkLayer.Ethernet;
        ulong rate64 = 0, prate64 = 0;

        while (args.HasMore)
        {
            if (args.Matches("limit"))
            {
                string v = args.NextArg();
                if (limit != 0) throw Fail("tbf: duplicate \"limit\" specification");
                if (latency != 0) throw Fail("tbf: specifying both \"latency\" and \"limit\" is not allowed");
                if (!TcUnits.TryParseSize(v, out limit)) throw Illegal("limit", v);
            }
            else if (args.Matches("latency"))
            {
                string v = args.NextArg();
                if (latency != 0) throw Fail("tbf: duplicate \"latency\" specification");
                if (limit != 0) throw Fail("tbf: specifying both \"limit\" and \"/latency\" is not allowed");
                if (!TcUnits.TryParseTimeUs(v, out latency)) throw Illegal("latency", v);
            }
            else if (args.Matches("burst") || args.Is("buffer") || args.Is("maxburst"))
            {
                string name = args.Current;
                string v = args.NextArg();
                if (buffer != 0) throw Fail("tbf: duplicate \"buffer/burst/maxburst\" specification");
                if (!TcUnits.TryParseSizeAndCell(v, out buffer, out int cell)) throw Illegal(name, SizeAndCellAsPrinted(v));
                if (cell >= 0) rateCellLog = cell;
            }
            else if (args.Is("mtu") || args.Is("minburst"))
            {
                string name = args.Current;
                string v = args.NextArg();
                if (mtu != 0) throw Fail("tbf: duplicate \"mtu/minburst\" specification");
                if (!TcUnits.TryParseSizeAndCell(v, out mtu, out int cell)) throw Illegal(name, SizeAndCellAsPrinted(v));
                if (cell >= 0) peakCellLog = cell;
            }
            else if (args.Is("mpu"))
            {
                string v = args.NextArg();
                if (mpu != 0) throw Fail("tbf: duplicate \"mpu\" specification");
                if (!TcUnits.TryParseSize(v, out mpu)) throw Illegal("mpu", v);
            }
            else if (args.Is("rate"))
            {
                string v = args.NextArg();
                if (rate64 != 0) throw Fail("tbf: duplicate \"rate\" specification");
                rate64 = ParseRate("rate", v, context);
            }
            else if (args.Matches("peakrate"))
            {
                string v = args.NextArg();
                if (prate64 != 0) throw Fail("tbf: duplicate \"peakrate\" specification");
                prate64 = ParseRate("peakrate", v, context);
            }
            else if (args.Matches("overhead"))
            {
                string v = args.NextArg();
                if (overhead != 0) throw Fail("tbf: duplicate \"overhead\" specification");
                if (!CIntegers.TryParseU16(v, 10, out overhead)) throw Illegal("overhead", v);
            }
            else if (args.Matches("linklayer"))
            {
                string v = args.NextArg();
                if (!LinkLayerText.TryParse(v, out linkLayer)) throw Illegal("linklayer", v);
            }
            else if (args.Is("help"))
            {
                throw Fail(Usage);
            }
            else
            {
                throw new TcException($"tbf: unknown parameter \"{args.Current}\"\n{Usage}", 1, args.Current);
            }
            args.Advance();
        }

        // "Be nice to the user: try to emit all error messages in one go."
        var errors = new List<string>();
        if (rate64 == 0) errors.Add("tbf: the \"rate\" parameter is mandatory.");
        if (buffer == 0) errors.Add("tbf: the \"burst\" parameter is mandatory.");
        if (prate64 != 0 && mtu == 0) errors.Add("tbf: when \"peakrate\" is specified, \"mtu\" must also be specified.");
        if (limit == 0 && latency == 0) errors.Add("tbf: either \"limit\" or \"latency\" is required.");
        if (errors.Count > 0) throw Fail(string.Join('\n', errors) + "\n" + Usage);

        var rate = new TcRateSpec(TcRateSpec.Clamp32(rate64));
        var peak = new TcRateSpec(TcRateSpec.Clamp32(prate64));
        if (limit == 0)
        {
            double lim = rate64 * (double)latency / TcCore.TimeUnitsPerSecond + buffer;
            if (prate64 != 0)
            {
                double lim2 = prate64 * (double)latency / TcCore.TimeUnitsPerSecond + mtu;
                if (lim2 < lim) lim = lim2;
            }
            limit = TcCore.ToUInt32(lim);
        }

        Span<uint> table = stackalloc uint[256];
        rate = TcCore.CalcRateTable(rate with { Mpu = (ushort)mpu, Overhead = overhead }, table, rateCellLog, mtu, linkLayer);
        // tc computes the buffer ticks from the 32-bit rate field; the kernel recomputes them from TCA_TBF_BURST.
        uint bufferTicks = TcCore.CalcXmitTime(rate.Rate, buffer);
        uint mtuTicks = 0;
        if (peak.Rate != 0)
        {
            peak = TcCore.CalcRateTable(peak with { Mpu = (ushort)mpu, Overhead = overhead }, table, peakCellLog, mtu, linkLayer);
            mtuTicks = TcCore.CalcXmitTime(peak.Rate, mtu);
        }
        return new TbfSpec(limit, rate, peak, bufferTicks, mtuTicks,
            rate64 >= 1UL << 32 ? rate64 : 0,
            peak.Rate != 0 && prate64 >= 1UL << 32 ? prate64 : 0,
            Burst: buffer,
            PeakBurst: peak.Rate != 0 ? mtu : null);
    }

    private static ulong ParseRate(string name, string value, TcParseContext context)
    {
        ulong r;
        if (value.Contains('%'))
        {
            if (!PercentRate.TryParse(value, context, out r, out string errors))
                throw new TcException(errors + $"tbf: illegal value for \"{name}\": \"{value}\"", 1, value);
        }
        else if (!TcUnits.TryParseRate(value, out r))
        {
            throw Illegal(name, value);
        }
        return r;
    }

    private static TcException Fail(string message) => new(message);

    /// <summary>
    /// get_size_and_cell() cuts the word at its '/' and restores it only once the cell parsed as an integer, so a
    /// bad size or cell is reported without its "/cell" part.
    /// </summary>
    internal static string SizeAndCellAsPrinted(string value)
    {
        int slash = value.IndexOf('/');
        if (slash < 0) return value;
        bool sizeOk = TcUnits.TryParseSize(value[..slash], out _);
        bool cellIsInteger = int.TryParse(value[(slash + 1)..], System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out _);
        return sizeOk && cellIsInteger ? value : value[..slash];
    }

    private static TcException Illegal(string name, string value) =>
        new($"tbf: illegal value for \"{name}\": \"{value}\"", 1, value);

    public override void PrintOptions(TcWriter w, QdiscSpec spec)
    {
        var q = (TbfSpec)spec;
        bool details = w.Options.ShowDetails, raw = w.Options.ShowRaw;
        ulong rate64 = q.RateBytesPerSecond;
        w.Rate(PrintTarget.Any, "rate", "rate %s ", rate64);
        uint buffer = TcCore.CalcXmitSize(rate64, q.BufferTicks);
        if (details)
        {
            w.String(PrintTarget.Any, "burst", "burst %s ", $"{TcUnits.FormatSize(buffer)}/{1u << q.Rate.CellLog}");
            w.Size(PrintTarget.Any, "mpu", "mpu %s ", q.Rate.Mpu);
        }
        else
        {
            w.Size(PrintTarget.Any, "burst", "burst %s ", buffer);
        }
        if (raw) w.Hex(PrintTarget.Any, "burst_raw", "[%08x] ", q.BufferTicks);

        ulong prate64 = q.PeakRateBytesPerSecond;
        if (prate64 != 0)
        {
            w.Rate(PrintTarget.Plain, "peakrate", "peakrate %s ", prate64);
            if (q.MtuTicks != 0 || q.PeakRate.Mpu != 0)
            {
                uint mtu = TcCore.CalcXmitSize(prate64, q.MtuTicks);
                if (details)
                {
                    w.String(PrintTarget.Any, "mtu", "mtu %s ", $"{TcUnits.FormatSize(mtu)}/{1u << q.PeakRate.CellLog}");
                    w.Size(PrintTarget.Any, "mpu", "mpu %s ", q.PeakRate.Mpu);
                }
                else
                {
                    w.Size(PrintTarget.Any, "minburst", "minburst %s ", mtu);
                }
                if (raw) w.Hex(PrintTarget.Any, "mtu_raw", "[%08x] ", q.MtuTicks);
            }
        }

        double latency = TcCore.TimeUnitsPerSecond * (q.Limit / (double)rate64) - TcCore.TicksToTime(q.BufferTicks);
        if (prate64 != 0)
        {
            double lat2 = TcCore.TimeUnitsPerSecond * (q.Limit / (double)prate64) - TcCore.TicksToTime(q.MtuTicks);
            if (lat2 > latency) latency = lat2;
        }
        if (latency >= 0.0)
        {
            w.Uint(PrintTarget.Json, "lat", null, (ulong)latency);
            w.String(PrintTarget.Plain, null, "lat %s ", TcUnits.FormatTimeUs(TcCore.ToUInt32(latency)));
        }
        if (raw || latency < 0.0) w.Size(PrintTarget.Any, "limit", "limit %s ", q.Limit);
        if (q.Rate.Overhead != 0) w.Int(PrintTarget.Any, "overhead", "overhead %d ", q.Rate.Overhead);
        var linkLayer = (LinkLayer)((byte)q.Rate.LinkLayer & 0x0F);
        if (linkLayer > LinkLayer.Ethernet || details)
            w.String(PrintTarget.Any, "linklayer", "linklayer %s ", LinkLayerText.Format(linkLayer));
    }

    /// <summary>tbf_init(): options are mandatory ("RTNETLINK answers: Invalid argument" without them).</summary>
    public override Qdisc Create(QdiscSpec? spec, QdiscContext context)
    {
        if (spec is not TbfSpec tbf) throw TcException.Errno(Errno.EINVAL);
        return new TbfQdisc(context, tbf);
    }
}
