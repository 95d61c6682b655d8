using System.Text;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Ematches.Nbyte;

/// <summary>nbyte: tc/em_nbyte.c and net/sched/em_nbyte.c.</summary>
public sealed class NbyteKind : EmatchKind
{
    /// <summary>tcf_em_nbyte.len is a 12-bit field.</summary>
    private const int LengthMask = 0xFFF;

    public override string Name => "nbyte";
    public override ushort Id => 2;

    public override string Usage =>
        "Usage: nbyte(NEEDLE at OFFSET [layer LAYER])\n" +
        "where: NEEDLE := { string | \"c-escape-sequence\" }\n" +
        "       OFFSET := int\n" +
        "       LAYER  := { link | network | transport | 0..2 }\n" +
        "\n" +
        "Example: nbyte(\"ababa\" at 12 layer 1)\n";

    public override EmatchData Parse(IReadOnlyList<EmatchArg> args)
    {
        if (args.Count == 0) throw new EmatchArgException("nbyte: missing arguments", null);
        EmatchArg needle = args[0];
        if (needle.Length <= 0) throw new EmatchArgException("nbyte: needle length is 0", args[0]);
        ulong offset = 0, layer = EmatchFlags.LayerNetwork;
        bool offsetSet = false;
        for (int i = 1; i < args.Count; i++)
        {
            EmatchArg a = args[i];
            if (a.Is("at"))
            {
                EmatchArg v = EmatchArgs.After(args, i) ?? throw new EmatchArgException("nbyte: missing argument", a);
                i++;
                offset = EmatchArgs.ToUlong(v) ?? throw new EmatchArgException("nbyte: invalid offset, must be numeric", v);
                offsetSet = true;
            }
            else if (a.Is("layer"))
            {
                EmatchArg v = EmatchArgs.After(args, i) ?? throw new EmatchArgException("nbyte: missing argument", a);
                i++;
                layer = (ulong?)EmatchArgs.Layer(v) ?? EmatchArgs.ToUlong(v) ??
                    throw new EmatchArgException("nbyte: invalid layer", v);
                if (layer > EmatchFlags.LayerMax)
                    throw new EmatchArgException($"nbyte: illegal layer, must be in 0..{EmatchFlags.LayerMax}", v);
            }
            else
            {
                throw new EmatchArgException("nbyte: unknown parameter", a);
            }
        }
        if (!offsetSet) throw new EmatchArgException("nbyte: offset required", null);
        string text = needle.Text;
        int len = text.Length & LengthMask;
        return new NbyteEmatch(text[..len], (ushort)offset, (byte)(layer & 0xF));
    }

    public override void Print(StringBuilder sb, EmatchData data)
    {
        var n = (NbyteEmatch)data;
        foreach (char c in n.Needle) CFormat.Append(sb, "%02x ", (byte)c);
        sb.Append('"');
        foreach (char c in n.Needle) sb.Append(c is >= ' ' and <= '~' ? c : '.');
        CFormat.Append(sb, "\" at %d layer %d", n.Offset, n.Layer);
    }

    public override EmatchMatcher Create(EmatchData data, FilterNamespace ns) => new Matcher((NbyteEmatch)data);

    /// <summary>em_nbyte_match(): memcmp at the layer offset.</summary>
    private sealed class Matcher(NbyteEmatch n) : EmatchMatcher
    {
        private readonly byte[] _needle = n.NeedleBytes;

        public override bool Match(Packet packet, in PacketHeaders headers)
        {
            if (EmatchArgs.LayerOffset(n.Layer, headers) is not { } baseOffset) return false;
            int at = baseOffset + n.Offset;
            ReadOnlySpan<byte> f = packet.Data;
            if (at < 0 || at + _needle.Length > f.Length) return false;
            return f.Slice(at, _needle.Length).SequenceEqual(_needle);
        }
    }
}
