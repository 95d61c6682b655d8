using Sched.Fast.Shaping;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs.Htb;

/// <summary>
/// htb's two halves: iproute2's tc/q_htb.c (htb_parse_opt, htb_parse_class_opt, htb_print_opt, htb_print_xstats;
/// iproute2 6.1 prints class options with fprintf, i.e. in plain text only) and the kernel's htb_init().
/// </summary>
public sealed class HtbKind : QdiscKind
{
    public const string Usage =
        "Usage: ... qdisc add ... htb [default N] [r2q N]\n" +
        "                      [direct_qlen P] [offload]\n" +
        " default  minor id of class to which unclassified packets are sent {0}\n" +
        " r2q      DRR quantums are computed as rate in Bps/r2q {10}\n" +
        " debug    string of 16 numbers each 0-3 {0}\n\n" +
        " direct_qlen  Limit of the direct queue {in packets}\n" +
        " offload  enable hardware offload\n" +
        "... class add ... htb rate R1 [burst B1] [mpu B] [overhead O]\n" +
        "                      [prio P] [slot S] [pslot PS]\n" +
        "                      [ceil R2] [cburst B2] [mtu MTU] [quantum Q]\n" +
        " rate     rate allocated to this class (class can still borrow)\n" +
        " burst    max bytes burst which can be accumulated during idle period {computed}\n" +
        " mpu      minimum packet size used in rate computations\n" +
        " overhead per-packet size overhead used in rate computations\n" +
        " linklay  adapting to a linklayer e.g. atm\n" +
        " ceil     definite upper class rate (no borrows) {rate}\n" +
        " cburst   burst but for ceil {computed}\n" +
        " mtu      max packet size we create rate map for {1600}\n" +
        " prio     priority of leaf; lower are served first {0}\n" +
        " quantum  how much bytes to serve from leaf at once {use r2q}\n" +
        "\nTC HTB version 3.3";

    public override string Name => "htb";

    public override bool IsClassful => true;

    private static TcException Explain1(string what, string? token = null) => new($"Illegal \"{what}\"\n{Usage}", 1, token);

    private static TcException WhatIs(string word) => new($"What is \"{word}\"?\n{Usage}", 1, word);

    /// <summary>htb_parse_opt().</summary>
    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        uint directQlen = uint.MaxValue, r2q = 10, defcls = 0;
        bool offload = false;
        while (args.HasMore)
        {
            if (args.Matches("r2q"))
            {
                string v = args.NextArg();
                if (!CIntegers.TryParseU32(v, 10, out r2q)) throw Explain1("r2q", v);
            }
            else if (args.Matches("default"))
            {
                string v = args.NextArg();
                if (!CIntegers.TryParseU32(v, 16, out defcls)) throw Explain1("default", v);
            }
            else if (args.Matches("debug"))
            {
                args.NextArg(); // a string of 0-3 digits; the kernel ignores it
            }
            else if (args.Matches("direct_qlen"))
            {
                string v = args.NextArg();
                if (!CIntegers.TryParseU32(v, 10, out directQlen)) throw Explain1("direct_qlen", v);
            }
            else if (args.Matches("offload"))
            {
                offload = true;
            }
            else
            {
                throw WhatIs(args.Current);
            }
            args.Advance();
        }
        return new HtbSpec(r2q, defcls, directQlen == uint.MaxValue ? null : directQlen, 0, offload);
    }

    /// <summary>htb_parse_class_opt().</summary>
    public override ClassSpec? ParseClassOptions(TcArgs args, TcParseContext context)
    {
        uint prio = 0, quantum = 0, buffer = 0, cbuffer = 0, mtu = 1600;
        int cellLog = -1, ccellLog = -1;
        ushort mpu = 0, overhead = 0;
        LinkLayer linkLayer = LinkLayer.Ethernet;
        ulong ceil64 = 0, rate64 = 0;

        while (args.HasMore)
        {
            if (args.Matches("prio"))
            {
                string v = args.NextArg();
                if (!CIntegers.TryParseU32(v, 10, out prio)) throw Explain1("prio", v);
            }
            else if (args.Matches("mtu"))
            {
                string v = args.NextArg();
                if (!CIntegers.TryParseU32(v, 10, out mtu)) throw Explain1("mtu", v);
            }
            else if (args.Matches("mpu"))
            {
                string v = args.NextArg();
                if (!CIntegers.TryParseU16(v, 10, out mpu)) throw Explain1("mpu", v);
            }
            else if (args.Matches("overhead"))
            {
                string v = args.NextArg();
                if (!CIntegers.TryParseU16(v, 10, out overhead)) throw Explain1("overhead", v);
            }
            else if (args.Matches("linklayer"))
            {
                string v = args.NextArg();
                if (!LinkLayerText.TryParse(v, out linkLayer)) throw Explain1("linklayer", v);
            }
            else if (args.Matches("quantum"))
            {
                string v = args.NextArg();
                if (!CIntegers.TryParseU32(v, 10, out quantum)) throw Explain1("quantum", v);
            }
            else if (args.Matches("burst") || args.Is("buffer") || args.Is("maxburst"))
            {
                string param = args.Current;
                string v = args.NextArg();
                if (!TcUnits.TryParseSizeAndCell(v, out buffer, out int cell)) throw Explain1(param, v);
                if (cell >= 0) cellLog = cell;
            }
            else if (args.Matches("cburst") || args.Is("cbuffer") || args.Is("cmaxburst"))
            {
                string param = args.Current;
                string v = args.NextArg();
                if (!TcUnits.TryParseSizeAndCell(v, out cbuffer, out int cell)) throw Explain1(param, v);
                if (cell >= 0) ccellLog = cell;
            }
            else if (args.Is("ceil"))
            {
                string v = args.NextArg();
                if (ceil64 != 0) throw new TcException("Double \"ceil\" spec");
                ceil64 = ParseRate("ceil", v, context);
            }
            else if (args.Is("rate"))
            {
                string v = args.NextArg();
                if (rate64 != 0) throw new TcException("Double \"rate\" spec");
                rate64 = ParseRate("rate", v, context);
            }
            else if (args.Is("help"))
            {
                throw new TcException(Usage);
            }
            else
            {
                throw WhatIs(args.Current);
            }
            args.Advance();
        }

        if (rate64 == 0) throw new TcException("\"rate\" is required.");
        if (ceil64 == 0) ceil64 = rate64; // without ceil, the same as rate

        // The default burst: rate / HZ plus the mtu, "to make sure that buffer is larger than mtu".
        if (buffer == 0) buffer = unchecked((uint)(rate64 / TcCore.Hz + mtu));
        if (cbuffer == 0) cbuffer = unchecked((uint)(ceil64 / TcCore.Hz + mtu));

        Span<uint> table = stackalloc uint[256];
        var rate = new TcRateSpec(TcRateSpec.Clamp32(rate64), overhead, mpu);
        var ceil = new TcRateSpec(TcRateSpec.Clamp32(ceil64), overhead, mpu);
        rate = TcCore.CalcRateTable(rate, table, cellLog, mtu, linkLayer);
        uint bufferTicks = TcCore.CalcXmitTime(rate64, buffer);
        ceil = TcCore.CalcRateTable(ceil, table, ccellLog, mtu, linkLayer);
        uint cbufferTicks = TcCore.CalcXmitTime(ceil64, cbuffer);
        return new HtbClassSpec(rate, ceil, bufferTicks, cbufferTicks, quantum, 0, prio,
            rate64 >= 1UL << 32 ? rate64 : 0, ceil64 >= 1UL << 32 ? ceil64 : 0);
    }

    private static ulong ParseRate(string name, string value, TcParseContext context)
    {
        ulong r;
        if (value.Contains('%'))
        {
            if (!PercentRate.TryParse(value, context, out r, out string errors))
                throw new TcException(errors + $"Illegal \"{name}\"\n{Usage}", 1, value);
        }
        else if (!TcUnits.TryParseRate(value, out r))
        {
            throw Explain1(name, value);
        }
        return r;
    }

    /// <summary>htb_print_opt() for the qdisc (TCA_HTB_INIT and TCA_HTB_DIRECT_QLEN).</summary>
    public override void PrintOptions(TcWriter w, QdiscSpec spec)
    {
        var g = (HtbSpec)spec;
        w.Int(PrintTarget.Any, "r2q", "r2q %d", (int)g.Rate2Quantum);
        w.ZeroXHex(PrintTarget.Any, "default", " default %#llx", g.DefaultClass);
        w.Uint(PrintTarget.Any, "direct_packets_stat", " direct_packets_stat %u", g.DirectPackets);
        if (w.Options.ShowDetails)
            w.String(PrintTarget.Any, "ver", " ver %s", $"{HtbSpec.KernelVersion >> 16}.{HtbSpec.KernelVersion & 0xFFFF}");
        if (g.DirectQueueLength is { } directQlen) w.Uint(PrintTarget.Any, "direct_qlen", " direct_qlen %u", directQlen);
        if (g.Offload) w.Null(PrintTarget.Any, "offload", " offload", null);
    }

    /// <summary>htb_print_opt() for a class (TCA_HTB_PARMS).</summary>
    public override void PrintClassOptions(TcWriter w, ClassSpec spec)
    {
        var h = (HtbClassSpec)spec;
        bool details = w.Options.ShowDetails;
        if (h.Level == 0)
        {
            w.Int(PrintTarget.Any, "prio", "prio %d ", (int)h.Prio);
            if (details) w.Int(PrintTarget.Any, "quantum", "quantum %d ", (int)h.Quantum);
        }
        ulong rate64 = h.RateBytesPerSecond, ceil64 = h.CeilBytesPerSecond;
        w.Rate(PrintTarget.Plain, null, "rate %s ", rate64);
        if (h.Rate.Overhead != 0) w.Plain($"overhead {h.Rate.Overhead} ");
        uint buffer = TcCore.CalcXmitSize(rate64, h.BufferTicks);
        w.Rate(PrintTarget.Plain, null, "ceil %s ", ceil64);
        uint cbuffer = TcCore.CalcXmitSize(ceil64, h.CBufferTicks);
        var linkLayer = (LinkLayer)((byte)h.Rate.LinkLayer & 0x0F);
        if (linkLayer > LinkLayer.Ethernet || details) w.Plain($"linklayer {LinkLayerText.Format(linkLayer)} ");
        if (details)
        {
            w.Size(PrintTarget.Plain, null, "burst %s/", buffer);
            w.Plain($"{1u << h.Rate.CellLog} ");
            w.Size(PrintTarget.Plain, null, "mpu %s ", h.Rate.Mpu);
            w.Size(PrintTarget.Plain, null, "cburst %s/", cbuffer);
            w.Plain($"{1u << h.Ceil.CellLog} ");
            w.Size(PrintTarget.Plain, null, "mpu %s ", h.Ceil.Mpu);
            w.Plain($"level {(int)h.Level} ");
        }
        else
        {
            w.Size(PrintTarget.Plain, null, "burst %s ", buffer);
            w.Size(PrintTarget.Plain, null, "cburst %s ", cbuffer);
        }
        if (w.Options.ShowRaw) w.PlainFormat("buffer [%08x] cbuffer [%08x] ", h.BufferTicks, h.CBufferTicks);
    }

    /// <summary>htb_print_xstats() for a class.</summary>
    public override void PrintClassXstats(TcWriter w, object xstats)
    {
        var st = (HtbClassXstats)xstats;
        w.PlainFormat(" lended: %u borrowed: %u giants: %u\n", st.Lends, st.Borrows, st.Giants);
        w.PlainFormat(" tokens: %d ctokens: %d\n", st.Tokens, st.CTokens);
    }

    /// <summary>htb_init(): TCA_HTB_INIT is mandatory; offload needs a device that can do it (ours cannot).</summary>
    public override Qdisc Create(QdiscSpec? spec, QdiscContext context)
    {
        if (spec is not HtbSpec g) throw TcException.Errno(Errno.EINVAL);
        if (g.Offload)
        {
            if (context.Parent != TcHandle.Root) throw TcException.Kernel("HTB must be the root qdisc to use offload");
            throw TcException.Kernel("hw-tc-offload ethtool feature flag must be on");
        }
        return new HtbQdisc(context, g);
    }
}
