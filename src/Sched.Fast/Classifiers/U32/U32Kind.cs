using System.Buffers.Binary;
using System.Numerics;
using Sched.Fast.Actions;
using Sched.Fast.Classifiers.Matchall;
using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Classifiers.U32;

/// <summary>
/// u32's two halves: tc/f_u32.c (selectors "match ip|ip6|tcp|udp|icmp|ether|mark|u32|u16|u8 ... [at [nexthdr+]N]",
/// offset, hashkey, divisor, link, ht, sample, order, classid, indev, actions) and net/sched/cls_u32.c
/// (<see cref="U32Classifier"/>).
/// </summary>
public sealed class U32Kind : ClassifierKind
{
    public const string Usage =
        "Usage: ... u32 [ match SELECTOR ... ] [ link HTID ] [ classid CLASSID ]\n" +
        "               [ action ACTION_SPEC ] [ offset OFFSET_SPEC ]\n" +
        "               [ ht HTID ] [ hashkey HASHKEY_SPEC ]\n" +
        "               [ sample SAMPLE ] [skip_hw | skip_sw]\n" +
        "or         u32 divisor DIVISOR\n" +
        "\n" +
        "Where: SELECTOR := SAMPLE SAMPLE ...\n" +
        "       SAMPLE := { ip | ip6 | udp | tcp | icmp | u{32|16|8} | mark }\n" +
        "                 SAMPLE_ARGS [ divisor DIVISOR ]\n" +
        "       FILTERID := X:Y:Z\n" +
        "\n" +
        "NOTE: CLASSID is parsed at hexadecimal input.";

    public override string Name => "u32";

    public override Classifier Create(uint prio, ushort protocol, FilterChain chain, FilterNamespace ns) =>
        new U32Classifier(prio, protocol, chain, ns);

    // ---- parsing (u32_parse_opt) ----

    /// <summary>A selector being built (struct tc_u32_sel with room for 128 keys).</summary>
    private sealed class SelectorBuilder
    {
        public byte Flags;
        public byte OffShift;
        public ushort OffMask;
        public ushort Off;
        public short OffOff;
        public short HashOffset;
        public uint HashMask;
        public readonly List<U32Key> Keys = [];

        public U32Selector Build() => new()
        {
            Flags = Flags,
            OffShift = OffShift,
            OffMask = OffMask,
            Off = Off,
            OffOff = OffOff,
            HashOffset = HashOffset,
            HashMask = HashMask,
            Keys = Keys.ToArray(),
        };

        /// <summary>pack_key(): merge with a key at the same offset, or append one; host-order values.</summary>
        public bool PackKey(uint key, uint mask, int off, int offmask)
        {
            key &= mask;
            for (int i = 0; i < Keys.Count; i++)
            {
                U32Key k = Keys[i];
                if (k.Offset == off && k.OffMask == offmask)
                {
                    uint intersect = mask & k.Mask;
                    if (((key ^ k.Value) & intersect) != 0) return false;
                    Keys[i] = k with { Value = k.Value | key, Mask = k.Mask | mask };
                    return true;
                }
            }
            if (Keys.Count >= U32Selector.MaxKeys) return false;
            if (off % 4 != 0) return false;
            Keys.Add(new U32Key(key, mask, off, offmask));
            return true;
        }

        public bool PackKey16(ulong key, ulong mask, int off, int offmask)
        {
            if (key > 0xFFFF || mask > 0xFFFF) return false;
            if ((off & 3) == 0)
            {
                key <<= 16;
                mask <<= 16;
            }
            off &= ~3;
            return PackKey((uint)key, (uint)mask, off, offmask);
        }

        public bool PackKey8(ulong key, ulong mask, int off, int offmask)
        {
            if (key > 0xFF || mask > 0xFF) return false;
            int shift = (off & 3) switch { 0 => 24, 1 => 16, 2 => 8, _ => 0 };
            key <<= shift;
            mask <<= shift;
            off &= ~3;
            return PackKey((uint)key, (uint)mask, off, offmask);
        }
    }

    /// <summary>Where the parse of one selector left the request (TCA_U32_MARK lives outside the selector).</summary>
    private sealed class RequestState
    {
        public uint? MarkValue;
        public uint? MarkMask;
    }

    public override FilterRequest ParseOptions(string? handle, TcArgs args, DeviceTable devices)
    {
        uint tcmHandle = 0;
        if (handle is not null && !U32Handle.TryParse(handle, out tcmHandle)) throw new TcException("Illegal filter ID");
        if (!args.HasMore) return new FilterRequest(tcmHandle, null);

        var sel = new SelectorBuilder();
        var request = new RequestState();
        bool selOk = false, terminalOk = false, sampleOk = false;
        uint htid = 0, order = 0, flags = 0;
        uint? classId = null, divisor = null, link = null;
        string? inDev = null;
        List<ActionItem>? actions = null;
        while (args.HasMore)
        {
            if (args.Matches("match"))
            {
                args.NextArg();
                if (!ParseSelector(args, sel, request)) throw new TcException("Illegal \"match\"");
                selOk = true;
                continue;
            }
            if (args.Matches("offset"))
            {
                args.NextArg();
                if (!ParseOffset(args, sel)) throw new TcException("Illegal \"offset\"");
                continue;
            }
            if (args.Matches("hashkey"))
            {
                args.NextArg();
                if (!ParseHashkey(args, sel)) throw new TcException("Illegal \"hashkey\"");
                continue;
            }
            if (args.Matches("classid") || args.Is("flowid"))
            {
                string v = args.NextArg();
                if (!TcHandle.TryParseClassId(v, out uint c)) throw new TcException("Illegal \"classid\"");
                classId = c;
                sel.Flags |= U32Selector.Terminal;
            }
            else if (args.Matches("divisor"))
            {
                string v = args.NextArg();
                if (!CStrtol.TryParseUnsigned(v, 0, out uint d) || d == 0 || d > 0x100 || ((d - 1) & d) != 0)
                    throw new TcException("Illegal \"divisor\"");
                divisor = d;
            }
            else if (args.Matches("order"))
            {
                string v = args.NextArg();
                if (!CStrtol.TryParseU32(v, 0, out order)) throw new TcException("Illegal \"order\"");
            }
            else if (args.Is("link"))
            {
                string v = args.NextArg();
                if (!U32Handle.TryParse(v, out uint linkId)) throw new TcException("Illegal \"link\"");
                if (linkId != 0 && U32Handle.Node(linkId) != 0) throw new TcException("\"link\" must be a hash table.");
                link = linkId;
            }
            else if (args.Is("ht"))
            {
                string v = args.NextArg();
                if (!U32Handle.TryParse(v, out uint ht)) throw new TcException("Illegal \"ht\"");
                if (handle is not null && U32Handle.Node(ht) != 0) throw new TcException("\"ht\" must be a hash table.");
                htid = sampleOk ? (htid & 0xFF000) | (ht & 0xFFF0_0000) : ht & 0xFFFF_F000;
            }
            else if (args.Is("sample"))
            {
                args.NextArg();
                var sample = new SelectorBuilder();
                if (!ParseSelector(args, sample, request)) throw new TcException("Illegal \"sample\"");
                if (sample.Keys.Count != 1) throw new TcException("\"sample\" must contain exactly ONE key.");
                uint sampleDivisor = 0x100;
                if (args.HasMore && args.Current == "divisor")
                {
                    string v = args.NextArg();
                    if (!CStrtol.TryParseUnsigned(v, 0, out sampleDivisor) || sampleDivisor == 0 ||
                        sampleDivisor > 0x100 || ((sampleDivisor - 1) & sampleDivisor) != 0)
                    {
                        throw new TcException("Illegal sample \"divisor\"");
                    }
                    args.NextArg();
                }
                uint hash = HashFold(sample.Keys[0]);
                htid = ((hash % sampleDivisor) << 12) | (htid & 0xFFF0_0000);
                sampleOk = true;
                continue;
            }
            else if (args.Is("indev"))
            {
                args.Advance();
                if (!args.HasMore) throw new TcException("Illegal indev");
                inDev = args.Current.Length > 16 ? args.Current[..16] : args.Current;
            }
            else if (args.Matches("action"))
            {
                args.NextArg();
                actions = MatchallKind.ParseActions(args, devices, actions);
                terminalOk = true;
                continue;
            }
            else if (args.Matches("police"))
            {
                throw new TcException("Illegal \"police\"");
            }
            else if (args.Is("skip_hw"))
            {
                flags |= ClassifierFlags.SkipHw;
            }
            else if (args.Is("skip_sw"))
            {
                flags |= ClassifierFlags.SkipSw;
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

        if (terminalOk) sel.Flags |= U32Selector.Terminal;
        if (order != 0)
        {
            if (U32Handle.Node(tcmHandle) != 0 && order != U32Handle.Node(tcmHandle))
                throw new TcException("\"order\" contradicts \"handle\"");
            tcmHandle |= order;
        }
        if (flags == (ClassifierFlags.SkipHw | ClassifierFlags.SkipSw))
            throw new TcException("skip_hw and skip_sw are mutually exclusive");

        return new FilterRequest(tcmHandle, new U32Spec
        {
            Selector = selOk ? sel.Build() : null,
            Hash = htid != 0 ? htid : null,
            ClassId = classId,
            Link = link,
            Divisor = divisor,
            MarkValue = request.MarkValue,
            MarkMask = request.MarkMask,
            Flags = flags != 0 ? flags : null,
            InDev = inDev,
            Actions = actions,
        });
    }

    /// <summary>u32_hash_fold() of tc: the key's masked value shifted down to its mask's lowest bit.</summary>
    private static uint HashFold(U32Key key)
    {
        int shift = key.Mask != 0 ? BitOperations.TrailingZeroCount(key.Mask) : 0;
        return (key.Value & key.Mask) >> shift;
    }

    /// <summary>parse_selector(); false is tc's -1 (the caller prints its own line).</summary>
    private static bool ParseSelector(TcArgs args, SelectorBuilder sel, RequestState request)
    {
        if (!args.HasMore) return false;
        if (args.Matches("u32"))
        {
            args.NextArg();
            return ParseUnsigned(args, sel, 0, 0, 4);
        }
        if (args.Matches("u16"))
        {
            args.NextArg();
            return ParseUnsigned(args, sel, 0, 0, 2);
        }
        if (args.Matches("u8"))
        {
            args.NextArg();
            return ParseUnsigned(args, sel, 0, 0, 1);
        }
        if (args.Matches("ip"))
        {
            args.NextArg();
            return ParseIp(args, sel);
        }
        if (args.Matches("ip6"))
        {
            args.NextArg();
            return ParseIp6(args, sel);
        }
        if (args.Matches("udp") || args.Matches("tcp"))
        {
            args.NextArg();
            return ParsePorts(args, sel);
        }
        if (args.Matches("icmp"))
        {
            args.NextArg();
            return ParseIcmp(args, sel);
        }
        if (args.Matches("mark"))
        {
            args.NextArg();
            return ParseMark(args, request);
        }
        if (args.Matches("ether"))
        {
            args.NextArg();
            return ParseEther(args, sel);
        }
        return false;
    }

    /// <summary>parse_u32/u16/u8(): VALUE MASK [at [nexthdr+]OFFSET].</summary>
    private static bool ParseUnsigned(TcArgs args, SelectorBuilder sel, int off, int offmask, int width)
    {
        if (args.Remaining < 2) return false;
        if (!CStrtol.TryParseU32(args.Current, 0, out uint key)) return false;
        args.Advance();
        if (!CStrtol.TryParseU32(args.Current, 16, out uint mask)) return false;
        args.Advance();
        if (width == 1 && (key > 0xFF || mask > 0xFF)) return false;
        if (args.HasMore && args.Current == "at")
        {
            args.NextArg();
            if (!ParseAt(args, ref off, ref offmask)) return false;
        }
        return width switch
        {
            4 => sel.PackKey(key, mask, off, offmask),
            2 => sel.PackKey16(key, mask, off, offmask),
            _ => sel.PackKey8(key, mask, off, offmask),
        };
    }

    /// <summary>parse_at(): "N", "nexthdr+N" or "nexthdr+ N".</summary>
    private static bool ParseAt(TcArgs args, ref int off, ref int offmask)
    {
        if (!args.HasMore) return false;
        const string nh = "nexthdr+";
        string p = args.Current;
        if (p.Length > nh.Length && p.StartsWith(nh, StringComparison.Ordinal))
        {
            offmask = -1;
            p = p[nh.Length..];
        }
        else if (args.Matches(nh))
        {
            p = args.NextArg();
            offmask = -1;
        }
        if (!CStrtol.TryParseInt(p, 0, out off)) return false;
        args.Advance();
        return true;
    }

    private static bool ParseIpAddress(TcArgs args, SelectorBuilder sel, int off)
    {
        if (!args.HasMore) return false;
        if (!InetPrefix.TryParse(args.Current, ipv6: false, out byte[] addr, out int bits)) return false;
        args.Advance();
        int offmask = 0;
        if (args.HasMore && args.Current == "at")
        {
            args.NextArg();
            if (!ParseAt(args, ref off, ref offmask)) return false;
        }
        uint mask = bits != 0 ? 0xFFFF_FFFFu << (32 - bits) : 0;
        return sel.PackKey(BinaryPrimitives.ReadUInt32BigEndian(addr), mask, off, offmask);
    }

    private static bool ParseIp6Address(TcArgs args, SelectorBuilder sel, int off)
    {
        if (!args.HasMore) return false;
        if (!InetPrefix.TryParse(args.Current, ipv6: true, out byte[] addr, out int plen)) return false;
        args.Advance();
        int offmask = 0;
        if (args.HasMore && args.Current == "at")
        {
            args.NextArg();
            if (!ParseAt(args, ref off, ref offmask)) return false;
        }
        for (int i = 0; i < plen; i += 32)
        {
            uint word = BinaryPrimitives.ReadUInt32BigEndian(addr.AsSpan(i / 8));
            uint mask = i + 31 < plen ? 0xFFFF_FFFF : 0xFFFF_FFFFu << (32 - (plen - i));
            if (!sel.PackKey(word, mask, off + 4 * (i / 32), offmask)) return false;
        }
        return true;
    }

    /// <summary>parse_ip(): the IPv4 header fields, and ports/ICMP at fixed offsets for a 20-byte header.</summary>
    private static bool ParseIp(TcArgs args, SelectorBuilder sel)
    {
        if (args.Remaining < 2) return false;
        string w = args.Current;
        if (w == "src") { args.NextArg(); return ParseIpAddress(args, sel, 12); }
        if (w == "dst") { args.NextArg(); return ParseIpAddress(args, sel, 16); }
        if (w == "tos" || args.Matches("dsfield") || args.Matches("precedence"))
        {
            args.NextArg();
            return ParseUnsigned(args, sel, 1, 0, 1);
        }
        if (w == "ihl") { args.NextArg(); return ParseUnsigned(args, sel, 0, 0, 1); }
        if (w == "protocol") { args.NextArg(); return ParseUnsigned(args, sel, 9, 0, 1); }
        if (w == "nofrag") { args.Advance(); return sel.PackKey16(0, 0x3FFF, 6, 0); }
        if (w == "firstfrag") { args.Advance(); return sel.PackKey16(0x2000, 0x3FFF, 6, 0); }
        if (w == "df") { args.Advance(); return sel.PackKey16(0x4000, 0x4000, 6, 0); }
        if (w == "mf") { args.Advance(); return sel.PackKey16(0x2000, 0x2000, 6, 0); }
        if (w == "dport") { args.NextArg(); return ParseUnsigned(args, sel, 22, 0, 2); }
        if (w == "sport") { args.NextArg(); return ParseUnsigned(args, sel, 20, 0, 2); }
        if (w == "icmp_type") { args.NextArg(); return ParseUnsigned(args, sel, 20, 0, 1); }
        if (w == "icmp_code") { args.NextArg(); return ParseUnsigned(args, sel, 21, 0, 1); }
        return false;
    }

    /// <summary>parse_ip6(): the IPv6 header fields, and ports/ICMPv6 for a header without extensions.</summary>
    private static bool ParseIp6(TcArgs args, SelectorBuilder sel)
    {
        if (args.Remaining < 2) return false;
        string w = args.Current;
        if (w == "src") { args.NextArg(); return ParseIp6Address(args, sel, 8); }
        if (w == "dst") { args.NextArg(); return ParseIp6Address(args, sel, 24); }
        if (w == "priority")
        {
            args.NextArg();
            if (args.Remaining < 2) return false;
            if (!CStrtol.TryParseU32(args.Current, 0, out uint key)) return false;
            args.Advance();
            if (!CStrtol.TryParseU32(args.Current, 16, out uint mask)) return false;
            args.Advance();
            if (key > 0xFF || mask > 0xFF) return false;
            return sel.PackKey(key << 20, mask << 20, 0, 0);
        }
        if (w == "protocol") { args.NextArg(); return ParseUnsigned(args, sel, 6, 0, 1); }
        if (w == "flowlabel") { args.NextArg(); return ParseUnsigned(args, sel, 0, 0, 4); }
        if (w == "dport") { args.NextArg(); return ParseUnsigned(args, sel, 42, 0, 2); }
        if (w == "sport") { args.NextArg(); return ParseUnsigned(args, sel, 40, 0, 2); }
        if (w == "icmp_type") { args.NextArg(); return ParseUnsigned(args, sel, 40, 0, 1); }
        if (w == "icmp_code") { args.NextArg(); return ParseUnsigned(args, sel, 41, 1, 1); }
        return false;
    }

    /// <summary>parse_udp() (also tcp): ports relative to the next header.</summary>
    private static bool ParsePorts(TcArgs args, SelectorBuilder sel)
    {
        if (args.Remaining < 2) return false;
        if (args.Current == "src") { args.NextArg(); return ParseUnsigned(args, sel, 0, -1, 2); }
        if (args.Current == "dst") { args.NextArg(); return ParseUnsigned(args, sel, 2, -1, 2); }
        return false;
    }

    private static bool ParseIcmp(TcArgs args, SelectorBuilder sel)
    {
        if (args.Remaining < 2) return false;
        if (args.Current == "type") { args.NextArg(); return ParseUnsigned(args, sel, 0, -1, 1); }
        if (args.Current == "code") { args.NextArg(); return ParseUnsigned(args, sel, 1, -1, 1); }
        return false;
    }

    /// <summary>parse_mark(): VALUE MASK; tc then moves on with NEXT_ARG, so something must follow.</summary>
    private static bool ParseMark(TcArgs args, RequestState request)
    {
        if (args.Remaining <= 1) return false;
        if (!CStrtol.TryParseU32(args.Current, 0, out uint val)) throw new TcException("Illegal \"mark\" value\nIllegal \"match\"");
        args.NextArg();
        if (!CStrtol.TryParseU32(args.Current, 0, out uint mask)) throw new TcException("Illegal \"mark\" mask\nIllegal \"match\"");
        args.NextArg();
        if ((val & mask) != val) throw new TcException("Illegal \"mark\" (impossible combination)\nIllegal \"match\"");
        request.MarkValue = val;
        request.MarkMask = mask;
        return true;
    }

    /// <summary>parse_ether(): MAC addresses relative to the network header (-8 src, -14 dst).</summary>
    private static bool ParseEther(TcArgs args, SelectorBuilder sel)
    {
        if (args.Remaining < 2) return false;
        int off;
        if (args.Current == "src") off = -8;
        else if (args.Current == "dst") off = -14;
        else throw new TcException($"Unknown match: ether {args.Current}\nIllegal \"match\"");
        string addr = args.NextArg();
        if (!TryParseMac(addr, out byte[] mac))
            throw new TcException($"parse_ether_addr: improperly formed address '{addr}'\nIllegal \"match\"");
        args.Advance();
        int offmask = 0;
        if (args.HasMore && args.Current == "at")
        {
            args.NextArg();
            if (!ParseAt(args, ref off, ref offmask)) return false;
        }
        for (int i = 0; i < 6; i++)
        {
            if (!sel.PackKey8(mac[i], 0xFF, off + i, offmask)) return false;
        }
        return true;
    }

    /// <summary>sscanf("%hhx:%hhx:%hhx:%hhx:%hhx:%hhx"): six hex numbers, each truncated to a byte.</summary>
    private static bool TryParseMac(string s, out byte[] mac)
    {
        mac = new byte[6];
        int p = 0;
        for (int i = 0; i < 6; i++)
        {
            if (i > 0)
            {
                if (p >= s.Length || s[p] != ':') return false;
                p++;
            }
            ulong v = CStrtol.Strtoul(s, p, 16, out int end, out _);
            if (end == p) return false;
            mac[i] = (byte)v;
            p = end;
        }
        return true;
    }

    /// <summary>parse_offset(): plus N, at N (even), mask M, shift S, eat.</summary>
    private static bool ParseOffset(TcArgs args, SelectorBuilder sel)
    {
        while (args.HasMore)
        {
            if (args.Matches("plus"))
            {
                if (!CStrtol.TryParseInt(args.NextArg(), 0, out int off)) return false;
                sel.Off = unchecked((ushort)off);
                sel.Flags |= U32Selector.Offset;
            }
            else if (args.Matches("at"))
            {
                if (!CStrtol.TryParseInt(args.NextArg(), 0, out int off)) return false;
                sel.OffOff = unchecked((short)off);
                if (off % 2 != 0) throw new TcException("offset \"at\" must be even\nIllegal \"offset\"");
                sel.Flags |= U32Selector.VarOffset;
            }
            else if (args.Matches("mask"))
            {
                if (!CStrtol.TryParseU16(args.NextArg(), 16, out ushort m)) return false;
                sel.OffMask = m;
                sel.Flags |= U32Selector.VarOffset;
            }
            else if (args.Matches("shift"))
            {
                if (!CStrtol.TryParseInt(args.NextArg(), 0, out int shift)) return false;
                sel.OffShift = unchecked((byte)shift);
                sel.Flags |= U32Selector.VarOffset;
            }
            else if (args.Matches("eat"))
            {
                sel.Flags |= U32Selector.Eat;
            }
            else
            {
                break;
            }
            args.Advance();
        }
        return true;
    }

    /// <summary>parse_hashkey(): mask M (hex), at N (a multiple of 4).</summary>
    private static bool ParseHashkey(TcArgs args, SelectorBuilder sel)
    {
        while (args.HasMore)
        {
            if (args.Matches("mask"))
            {
                if (!CStrtol.TryParseU32(args.NextArg(), 16, out uint m)) return false;
                sel.HashMask = m;
            }
            else if (args.Matches("at"))
            {
                if (!CStrtol.TryParseInt(args.NextArg(), 0, out int num)) return false;
                if (num % 4 != 0) return false;
                sel.HashOffset = unchecked((short)num);
            }
            else
            {
                break;
            }
            args.Advance();
        }
        return true;
    }

    // ---- printing (u32_print_opt) ----

    public override void PrintOptions(TcWriter w, FilterDump dump, FilterPrintContext context)
    {
        if (dump.Options is not U32Spec u) return;
        uint handle = dump.Handle;
        if (handle != 0) w.String(PrintTarget.Any, "fh", "fh %s ", U32Handle.Format(handle, w.Options.ShowRaw));
        if (U32Handle.Node(handle) != 0) w.Int(PrintTarget.Any, "order", "order %d ", U32Handle.Node(handle));
        U32Selector? sel = u.Selector;
        if (u.Divisor is { } divisor)
        {
            w.Int(PrintTarget.Any, "ht_divisor", "ht divisor %d ", (int)divisor);
        }
        else if (u.Hash is { } htid)
        {
            w.Hex(PrintTarget.Any, "key_ht", "key ht %x ", U32Handle.UserHtid(htid));
            w.Hex(PrintTarget.Any, "bkt", "bkt %x ", U32Handle.Hash(htid));
        }
        bool terminal = sel is not null && (sel.Flags & U32Selector.Terminal) != 0;
        if (u.ClassId is { } classId)
        {
            if (terminal) w.String(PrintTarget.Plain, null, "*", null);
            w.String(PrintTarget.Any, "flowid", "flowid %s ", TcHandle.Format(classId));
        }
        else if (terminal)
        {
            w.String(PrintTarget.Plain, null, "terminal flowid ", null);
        }
        if (u.Link is { } link) w.String(PrintTarget.Any, "link", "link %s ", U32Handle.Format(link, w.Options.ShowRaw));
        if (u.Flags is { } flags)
        {
            if ((flags & ClassifierFlags.SkipHw) != 0) w.Bool(PrintTarget.Any, "skip_hw", "skip_hw ", true);
            if ((flags & ClassifierFlags.SkipSw) != 0) w.Bool(PrintTarget.Any, "skip_sw", "skip_sw ", true);
            if ((flags & ClassifierFlags.InHw) != 0) w.Bool(PrintTarget.Any, "in_hw", "in_hw ", true);
            else if ((flags & ClassifierFlags.NotInHw) != 0) w.Bool(PrintTarget.Any, "not_in_hw", "not_in_hw ", true);
        }
        bool stats = w.Options.ShowStats > 0;
        U32Counters? pf = u.Counters;
        if (sel is not null && stats && pf is not null)
        {
            w.Uint(PrintTarget.Any, "rule_hit", "(rule hit %llu ", pf.RuleTried);
            w.Uint(PrintTarget.Any, "success", "success %llu)", pf.RuleHits);
        }
        if (u.MarkValue is { } mv)
        {
            w.Newline();
            w.ZeroXHex(PrintTarget.Any, "fwmark_value", "  mark 0x%04x ", mv);
            w.ZeroXHex(PrintTarget.Any, "fwmark_mask", "0x%04x ", u.MarkMask ?? 0);
            w.Int(PrintTarget.Any, "fwmark_success", "(success %d)", (int)(u.MarkSuccess ?? 0));
        }
        if (sel is not null)
        {
            for (int i = 0; i < sel.Keys.Count; i++)
            {
                PrintKey(w, sel.Keys[i], context.Protocol);
                if (stats && pf is not null)
                    w.Uint(PrintTarget.Any, "success", " (success %llu ) ", i < pf.KeyHits.Count ? pf.KeyHits[i] : 0);
            }
            if ((sel.Flags & (U32Selector.VarOffset | U32Selector.Offset)) != 0)
            {
                w.Newline();
                w.String(PrintTarget.Any, null, "%s", "    offset ");
                if ((sel.Flags & U32Selector.VarOffset) != 0)
                {
                    w.Hex(PrintTarget.Any, "offset_mask", "%04x", sel.OffMask);
                    w.Int(PrintTarget.Any, "offset_shift", ">>%d ", sel.OffShift);
                    w.Int(PrintTarget.Any, "offset_off", "at %d ", sel.OffOff);
                }
                if (sel.Off != 0) w.Int(PrintTarget.Any, "plus", "plus %d ", sel.Off);
            }
            if ((sel.Flags & U32Selector.Eat) != 0) w.String(PrintTarget.Any, null, "%s", " eat ");
            if (sel.HashMask != 0)
            {
                w.Newline();
                w.Hex(PrintTarget.Any, "hash_mask", "    hash mask %08x ", sel.HashMask);
                w.Int(PrintTarget.Any, "hash_off", "at %d ", sel.HashOffset);
            }
        }
        if (u.InDev is { } indev)
        {
            w.Newline();
            w.String(PrintTarget.Any, "input_dev", "  input dev %s", indev);
            w.Newline();
        }
        if (u.Actions is { } actions) ActionPrinter.PrintList(w, actions, 1, bind: true, context.Devices);
    }

    /// <summary>
    /// show_keys(): print_raw(), or under tc -p, for IPv4 and IPv6 filters, print_ipv4()/print_ipv6() instead. Those
    /// print nothing for a key they cannot decode (no raw fallback), and in JSON they leave the "match" object they
    /// opened unclosed whenever they did decode the key, as iproute2 does (the document then ends unbalanced and tc
    /// aborts in jsonw_destroy(), which <see cref="Commands.FilterCommand"/> reproduces).
    /// </summary>
    private static void PrintKey(TcWriter w, U32Key key, ushort protocol)
    {
        if (w.Options.Pretty && (protocol == EtherTypes.IPv4 || protocol == EtherTypes.IPv6))
        {
            w.OpenObject("match");
            if (!PrintPretty(w, key, protocol == EtherTypes.IPv6)) w.CloseObject();
            return;
        }
        w.OpenObject("match");
        w.Newline();
        w.Hex(PrintTarget.Any, "value", "  match %08x", key.Value);
        w.Hex(PrintTarget.Any, "mask", "/%08x ", key.Mask);
        w.String(PrintTarget.Any, "offmask", "at %s", key.OffMask != 0 ? "nexthdr+" : "");
        w.Int(PrintTarget.Any, "off", "%d", key.Offset);
        w.CloseObject();
    }

    /// <summary>
    /// The switch of print_ipv4()/print_ipv6() after their open_json_object("match"): true where the C function
    /// returns early (the object stays open), false where it breaks out to its close_json_object().
    /// </summary>
    private static bool PrintPretty(TcWriter w, U32Key key, bool ipv6)
    {
        switch (key.Offset)
        {
            case 0 when key.Mask == 0x0F00_0000:
                w.Newline();
                w.Uint(PrintTarget.Any, "ip_ihl", "  match IP ihl %u", key.Value >> 24);
                return true;
            case 0 when key.Mask == 0x00FF_0000:
                w.Newline();
                w.ZeroXHex(PrintTarget.Any, "ip_dsfield", "  match IP dsfield %#x", key.Value >> 16);
                return true;
            case 8 when key.Mask == 0x00FF_0000:
                w.Newline();
                w.Int(PrintTarget.Any, "ip_protocol", "  match IP protocol %d", key.Value >> 16);
                return true;
            case 12 or 16:
            {
                uint host = ~key.Mask;
                if ((host & (host + 1)) != 0) return false;
                int bits = 32 - BitOperations.PopCount(host);
                w.Newline();
                if (key.Offset == 12)
                {
                    w.Plain("  match IP src ");
                    w.OpenObject("src");
                }
                else
                {
                    w.Plain("  match IP dst ");
                    w.OpenObject("dst");
                }
                var bytes = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(bytes, key.Value);
                w.String(PrintTarget.Any, "address", "%s", new System.Net.IPAddress(bytes).ToString());
                w.Int(PrintTarget.Any, "prefixlen", "/%d", bits);
                w.CloseObject();
                return true;
            }
            case 20:
                switch (key.Mask)
                {
                    case 0x0000_FFFF when !ipv6:
                        w.Uint(PrintTarget.Any, "dport", "match dport %u", key.Value & 0xFFFF);
                        return true;
                    case 0x0000_FFFF:
                        w.Newline();
                        w.Uint(PrintTarget.Any, "sport", "  match sport %u", key.Value & 0xFFFF);
                        return true;
                    case 0xFFFF_0000 when !ipv6:
                        w.Newline();
                        w.Uint(PrintTarget.Any, "sport", "  match sport %u", key.Value >> 16);
                        return true;
                    case 0xFFFF_0000:
                        w.Uint(PrintTarget.Any, "dport", "match dport %u", key.Value >> 16);
                        return true;
                    case 0xFFFF_FFFF when !ipv6:
                        w.Newline();
                        w.Uint(PrintTarget.Any, "dport", "  match dport %u, ", key.Value & 0xFFFF);
                        w.Uint(PrintTarget.Any, "sport", "match sport %u", key.Value >> 16);
                        return true;
                    case 0xFFFF_FFFF:
                        w.Newline();
                        w.Uint(PrintTarget.Any, "sport", "  match sport %u, ", key.Value & 0xFFFF);
                        w.Uint(PrintTarget.Any, "dport", "match dport %u", key.Value >> 16);
                        return true;
                }
                return false;
        }
        return false;
    }
}
