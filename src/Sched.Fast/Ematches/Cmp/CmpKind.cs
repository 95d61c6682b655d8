using System.Buffers.Binary;
using System.Text;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Ematches.Cmp;

/// <summary>cmp: tc/em_cmp.c and net/sched/em_cmp.c.</summary>
public sealed class CmpKind : EmatchKind
{
    public override string Name => "cmp";
    public override ushort Id => 1;

    public override string Usage =>
        "Usage: cmp(ALIGN at OFFSET [ ATTRS ] { eq | lt | gt } VALUE)\n" +
        "where: ALIGN  := { u8 | u16 | u32 }\n" +
        "       ATTRS  := [ layer LAYER ] [ mask MASK ] [ trans ]\n" +
        "       LAYER  := { link | network | transport | 0..2 }\n" +
        "\n" +
        "Example: cmp(u16 at 3 layer 2 mask 0xff00 gt 20)\n";

    public override EmatchData Parse(IReadOnlyList<EmatchArg> args)
    {
        if (args.Count == 0) throw new EmatchArgException("cmp: missing arguments", null);
        byte align = args[0].Text switch
        {
            "u8" => CmpEmatch.AlignU8,
            "u16" => CmpEmatch.AlignU16,
            "u32" => CmpEmatch.AlignU32,
            _ => throw new EmatchArgException("cmp: invalid alignment", args[0]),
        };
        ulong offset = 0, layer = EmatchFlags.LayerNetwork, mask = 0, value = 0;
        bool offsetSet = false, valueSet = false;
        byte flags = 0;
        int operand = 0;
        for (int i = 1; i < args.Count; i++)
        {
            EmatchArg a = args[i];
            if (a.Is("at"))
            {
                EmatchArg v = EmatchArgs.After(args, i) ?? throw new EmatchArgException("cmp: missing argument", a);
                i++;
                offset = EmatchArgs.ToUlong(v) ?? throw new EmatchArgException("cmp: invalid offset, must be numeric", v);
                offsetSet = true;
            }
            else if (a.Is("layer"))
            {
                EmatchArg v = EmatchArgs.After(args, i) ?? throw new EmatchArgException("cmp: missing argument", a);
                i++;
                layer = (ulong?)EmatchArgs.Layer(v) ?? EmatchArgs.ToUlong(v) ??
                    throw new EmatchArgException("cmp: invalid layer", v);
                if (layer > EmatchFlags.LayerMax)
                    throw new EmatchArgException($"cmp: illegal layer, must be in 0..{EmatchFlags.LayerMax}", v);
            }
            else if (a.Is("mask"))
            {
                EmatchArg v = EmatchArgs.After(args, i) ?? throw new EmatchArgException("cmp: missing argument", a);
                i++;
                mask = EmatchArgs.ToUlong(v) ?? throw new EmatchArgException("cmp: invalid mask", v);
            }
            else if (a.Is("trans"))
            {
                flags |= CmpEmatch.Trans;
            }
            else if (a.Is("eq") || a.Is("gt") || a.Is("lt"))
            {
                operand = a.Is("eq") ? EmatchFlags.OpndEq : a.Is("gt") ? EmatchFlags.OpndGt : EmatchFlags.OpndLt;
                EmatchArg v = EmatchArgs.After(args, i) ?? throw new EmatchArgException("cmp: missing argument", a);
                i++;
                value = EmatchArgs.ToUlong(v) ?? throw new EmatchArgException("cmp: invalid value", v);
                valueSet = true;
            }
            else
            {
                // em_cmp.c names the wrong module here; tc prints it so.
                throw new EmatchArgException("nbyte: unknown parameter", a);
            }
        }
        if (!offsetSet || !valueSet) throw new EmatchArgException("cmp: offset and value required", null);
        return new CmpEmatch((uint)value, (uint)mask, (ushort)offset, align, flags, (byte)(layer & 0xF), (byte)operand);
    }

    public override void Print(StringBuilder sb, EmatchData data)
    {
        var c = (CmpEmatch)data;
        if (c.Align == CmpEmatch.AlignU8) sb.Append("u8 ");
        else if (c.Align == CmpEmatch.AlignU16) sb.Append("u16 ");
        else if (c.Align == CmpEmatch.AlignU32) sb.Append("u32 ");
        CFormat.Append(sb, "at %d layer %d ", c.Offset, c.Layer);
        if (c.Mask != 0) CFormat.Append(sb, "mask 0x%x ", c.Mask);
        if ((c.Flags & CmpEmatch.Trans) != 0) sb.Append("trans ");
        if (c.Operand == EmatchFlags.OpndEq) sb.Append("eq ");
        else if (c.Operand == EmatchFlags.OpndLt) sb.Append("lt ");
        else if (c.Operand == EmatchFlags.OpndGt) sb.Append("gt ");
        CFormat.Append(sb, "%d", (int)c.Value);
    }

    public override EmatchMatcher Create(EmatchData data, FilterNamespace ns) => new Matcher((CmpEmatch)data);

    /// <summary>em_cmp_match().</summary>
    private sealed class Matcher(CmpEmatch c) : EmatchMatcher
    {
        public override bool Match(Packet packet, in PacketHeaders headers)
        {
            if (EmatchArgs.LayerOffset(c.Layer, headers) is not { } baseOffset) return false;
            int at = baseOffset + c.Offset;
            ReadOnlySpan<byte> f = packet.Data;
            if (at < 0 || at + c.Align > f.Length) return false; // tcf_valid_offset()
            uint val;
            bool trans = (c.Flags & CmpEmatch.Trans) != 0;
            switch (c.Align)
            {
                case CmpEmatch.AlignU8:
                    val = f[at];
                    break;
                case CmpEmatch.AlignU16:
                    val = trans ? BinaryPrimitives.ReadUInt16LittleEndian(f[at..]) : BinaryPrimitives.ReadUInt16BigEndian(f[at..]);
                    break;
                case CmpEmatch.AlignU32:
                    val = trans ? BinaryPrimitives.ReadUInt32LittleEndian(f[at..]) : BinaryPrimitives.ReadUInt32BigEndian(f[at..]);
                    break;
                default:
                    return false;
            }
            if (c.Mask != 0) val &= c.Mask;
            return c.Operand switch
            {
                EmatchFlags.OpndEq => val == c.Value,
                EmatchFlags.OpndLt => val < c.Value,
                EmatchFlags.OpndGt => val > c.Value,
                _ => false,
            };
        }
    }
}
