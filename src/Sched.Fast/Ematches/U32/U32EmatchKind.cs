using System.Buffers.Binary;
using System.Text;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Ematches.U32;

/// <summary>u32 ematch: tc/em_u32.c and net/sched/em_u32.c.</summary>
public sealed class U32EmatchKind : EmatchKind
{
    private const string NextHeader = "nexthdr+";

    public override string Name => "u32";
    public override ushort Id => 3;

    public override string Usage =>
        "Usage: u32(ALIGN VALUE MASK at [ nexthdr+ ] OFFSET)\n" +
        "where: ALIGN  := { u8 | u16 | u32 }\n" +
        "\n" +
        "Example: u32(u16 0x1122 0xffff at nexthdr+4)\n";

    public override EmatchData Parse(IReadOnlyList<EmatchArg> args)
    {
        if (args.Count == 0) throw new EmatchArgException("u32: missing arguments", null);
        int align = args[0].Text switch
        {
            "u8" => 1,
            "u16" => 2,
            "u32" => 4,
            _ => throw new EmatchArgException("u32: invalid alignment", args[0]),
        };
        EmatchArg a = Arg(args, 1) ?? throw new EmatchArgException("u32: missing key", null);
        ulong key = EmatchArgs.ToUlong(a) ?? throw new EmatchArgException("u32: invalid key, must be numeric", a);
        a = Arg(args, 2) ?? throw new EmatchArgException("u32: missing mask", null);
        ulong mask = EmatchArgs.ToUlong(a) ?? throw new EmatchArgException("u32: invalid mask, must be numeric", a);
        EmatchArg? at = Arg(args, 3);
        if (at is null || !at.Is("at")) throw new EmatchArgException("u32: missing \"at\"", at);
        int i = 4;
        a = Arg(args, i) ?? throw new EmatchArgException("u32: missing offset", null);
        int offMask = 0;
        ulong? offset;
        if (a.Length > NextHeader.Length && a.Text.StartsWith(NextHeader, StringComparison.Ordinal))
        {
            offMask = -1;
            // strtoul(buf, NULL, 0) without checks: a bad number is 0.
            offset = CStrtol.Strtoul(a.Text, NextHeader.Length, 0, out _, out _);
        }
        else if (a.Is(NextHeader))
        {
            i++;
            a = Arg(args, i) ?? throw new EmatchArgException("u32: missing offset", null);
            offset = EmatchArgs.ToUlong(a);
        }
        else
        {
            offset = EmatchArgs.ToUlong(a);
        }
        if (offset is not { } off || off == ulong.MaxValue) throw new EmatchArgException("u32: invalid offset", a);
        if (Arg(args, i + 1) is { } trailer) throw new EmatchArgException("u32: unexpected trailer", trailer);

        switch (align)
        {
            case 1:
                if (key > 0xFF) throw new EmatchArgException("Illegal key (>0xFF)", a);
                if (mask > 0xFF) throw new EmatchArgException("Illegal mask (>0xFF)", a);
                key <<= 24 - (int)((off & 3) * 8);
                mask <<= 24 - (int)((off & 3) * 8);
                off &= ~3UL;
                break;
            case 2:
                if (key > 0xFFFF) throw new EmatchArgException("Illegal key (>0xFFFF)", a);
                if (mask > 0xFFFF) throw new EmatchArgException("Illegal mask (>0xFFFF)", a);
                if ((off & 3) == 0)
                {
                    key <<= 16;
                    mask <<= 16;
                }
                off &= ~3UL;
                break;
        }
        if (off % 4 != 0) throw new EmatchArgException("u32: invalid offset alignment, must be aligned to 4.", a);
        uint k = (uint)key, m = (uint)mask;
        return new U32Ematch(k & m, m, unchecked((int)off), offMask);
    }

    private static EmatchArg? Arg(IReadOnlyList<EmatchArg> args, int i) => i < args.Count ? args[i] : null;

    public override void Print(StringBuilder sb, EmatchData data)
    {
        var u = (U32Ematch)data;
        CFormat.Append(sb, "%08x/%08x at %s%d", u.Value, u.Mask, u.OffMask != 0 ? NextHeader : "", u.Offset);
    }

    public override EmatchMatcher Create(EmatchData data, FilterNamespace ns) => new Matcher((U32Ematch)data);

    /// <summary>em_u32_match() without packet info (cls_basic passes none): relative to the network header.</summary>
    private sealed class Matcher(U32Ematch u) : EmatchMatcher
    {
        public override bool Match(Packet packet, in PacketHeaders headers)
        {
            long at = (long)headers.Network + u.Offset;
            ReadOnlySpan<byte> f = packet.Data;
            if (at < 0 || at + 4 > f.Length) return false;
            uint word = BinaryPrimitives.ReadUInt32BigEndian(f[(int)at..]);
            return ((word ^ u.Value) & u.Mask) == 0;
        }
    }
}
