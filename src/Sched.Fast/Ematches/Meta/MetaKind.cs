using System.Text;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Ematches.Meta;

/// <summary>meta: tc/em_meta.c (objects, type adoption between the two sides) and net/sched/em_meta.c.</summary>
public sealed class MetaKind : EmatchKind
{
    public override string Name => "meta";
    public override ushort Id => 4;

    public override string Usage =>
        "Usage: meta(OBJECT { eq | lt | gt } OBJECT)\n" +
        "where: OBJECT  := { META_ID | VALUE }\n" +
        "       META_ID := id [ shift SHIFT ] [ mask MASK ]\n" +
        "\n" +
        "Example: meta(nf_mark gt 24)\n" +
        "         meta(indev shift 1 eq \"ppp\")\n" +
        "         meta(tcindex mask 0xf0 eq 0xf0)\n" +
        "\n" +
        "For a list of meta identifiers, use meta(list).\n";

    public override EmatchData Parse(IReadOnlyList<EmatchArg> args)
    {
        if (args.Count == 0) throw new EmatchArgException("meta: missing arguments", null);
        if (args[0].Is("list")) throw new EmatchArgException(ListText(), null, silent: true);

        var left = new Side();
        int next = ParseObject(args, 0, left, null);
        if (next >= args.Count) throw new EmatchArgException("meta: missing operand", args[0]);
        EmatchArg op = args[next];
        int opnd = op.Is("eq") ? EmatchFlags.OpndEq : op.Is("gt") ? EmatchFlags.OpndGt : op.Is("lt")
            ? EmatchFlags.OpndLt
            : throw new EmatchArgException("meta: invalid operand", op);
        if (next + 1 >= args.Count) throw new EmatchArgException("meta: missing rvalue", args[0]);
        var right = new Side();
        int end = ParseObject(args, next + 1, right, left);
        if (end < args.Count) throw new EmatchArgException("meta: unexpected trailer", args[end]);
        return new MetaEmatch(left.ToOperand((byte)opnd), right.ToOperand(0));
    }

    /// <summary>One side while parsing: the kind and the value dump_value() will send.</summary>
    private sealed class Side
    {
        public ushort Kind;
        public byte Shift;
        public ulong Number;
        public EmatchArg? Quoted;

        public MetaOperand ToOperand(byte op)
        {
            int type = (Kind >> 12) & 0xF;
            int id = Kind & 0x7FF;
            // dump_value(): an int goes as 32 bits (value or mask); var bytes only for a quoted value.
            if (type == MetaOperand.TypeInt) return new MetaOperand(Kind, Shift, op, (uint)Number, null);
            if (type == MetaOperand.TypeVar && id == MetaOperand.IdValue && Quoted is not null)
                return new MetaOperand(Kind, Shift, op, null, Quoted.Text);
            return new MetaOperand(Kind, Shift, op, null, null);
        }
    }

    /// <summary>parse_object(): returns the index of the first argument after the object.</summary>
    private static int ParseObject(IReadOnlyList<EmatchArg> args, int i, Side obj, Side? left)
    {
        EmatchArg arg = args[i];
        if (arg.Quoted)
        {
            obj.Kind = MetaOperand.MakeKind(MetaOperand.TypeVar, MetaOperand.IdValue);
            obj.Quoted = arg;
            return i + 1;
        }
        if (EmatchArgs.ToUlong(arg) is { } num)
        {
            obj.Kind = MetaOperand.MakeKind(MetaOperand.TypeInt, MetaOperand.IdValue);
            obj.Number = num;
            return i + 1;
        }
        MetaTable.Entry entry = MetaTable.ByName(arg.Text) ??
                                throw new EmatchArgException("meta: unknown meta id\n", arg);
        obj.Kind = (ushort)(entry.Id | (MetaTable.TypeOf(entry.Mask[0]) << 12));

        if (left is not null && TypeOf(obj.Kind) != TypeOf(left.Kind))
        {
            bool leftAdopts = IdOf(left.Kind) != 0, rightAdopts = IdOf(obj.Kind) != 0;
            if (leftAdopts && !rightAdopts)
            {
                if (!IsCompatible(left.Kind, obj.Kind)) throw NotCompatible(arg);
                left.Kind = Overwrite(left.Kind, obj.Kind);
            }
            else if (rightAdopts && !leftAdopts)
            {
                if (!IsCompatible(obj.Kind, left.Kind)) throw NotCompatible(arg);
                obj.Kind = Overwrite(obj.Kind, left.Kind);
            }
            else if (leftAdopts && rightAdopts)
            {
                if (IsCompatible(left.Kind, obj.Kind)) left.Kind = Overwrite(left.Kind, obj.Kind);
                else if (IsCompatible(obj.Kind, left.Kind)) obj.Kind = Overwrite(obj.Kind, left.Kind);
                else throw NotCompatible(arg);
            }
            else
            {
                throw NotCompatible(arg);
            }
        }

        int a = i + 1;
        while (a < args.Count)
        {
            if (args[a].Is("shift"))
            {
                if (a + 1 >= args.Count) throw new EmatchArgException("meta: missing argument", args[a]);
                a++;
                ulong shift = EmatchArgs.ToUlong(args[a]) ??
                              throw new EmatchArgException("meta: invalid shift, must be numeric", args[a]);
                obj.Shift = (byte)shift;
                a++;
            }
            else if (args[a].Is("mask"))
            {
                if (a + 1 >= args.Count) throw new EmatchArgException("meta: missing argument", args[a]);
                a++;
                obj.Number = EmatchArgs.ToUlong(args[a]) ??
                             throw new EmatchArgException("meta: invalid mask, must be numeric", args[a]);
                a++;
            }
            else
            {
                break;
            }
        }
        return a;
    }

    private static int TypeOf(ushort kind) => (kind >> 12) & 0xF;
    private static int IdOf(ushort kind) => kind & 0x7FF;

    /// <summary>overwrite_type(): the id of <paramref name="src"/> with the type of <paramref name="dst"/>.</summary>
    private static ushort Overwrite(ushort src, ushort dst) => (ushort)((TypeOf(dst) << 12) | IdOf(src));

    /// <summary>
    /// is_compatible(): whether the id of <paramref name="what"/> accepts the type of <paramref name="needed"/>.
    /// tc's loop reads past the end of the type list when none fits; here that ends as "not compatible".
    /// </summary>
    private static bool IsCompatible(ushort what, ushort needed)
    {
        MetaTable.Entry? e = MetaTable.ById(IdOf(what));
        if (e is null) return false;
        foreach (char c in e.Mask)
        {
            if (MetaTable.TypeOf(c) == TypeOf(needed)) return true;
        }
        return false;
    }

    private static EmatchArgException NotCompatible(EmatchArg arg) =>
        new("lvalue and rvalue are not compatible.", arg);

    /// <summary>list_meta_ids().</summary>
    private static string ListText()
    {
        var sb = new StringBuilder();
        sb.Append("--------------------------------------------------------\n");
        sb.Append("  ID               Type       Description\n");
        sb.Append("--------------------------------------------------------");
        foreach (MetaTable.Entry row in MetaTable.Rows)
        {
            if (row.Id == 0)
            {
                sb.Append('\n').Append(row.Name).Append(":\n");
                continue;
            }
            string types = string.Join(",", row.Mask.Select(c => MetaTable.TypeOf(c) == MetaOperand.TypeInt ? "INT" : "VAR"));
            CFormat.Append(sb, "  %-16s ", row.Name);
            CFormat.Append(sb, "%-10s %s\n", types, row.Description);
        }
        sb.Append("--------------------------------------------------------\n");
        return sb.ToString();
    }

    public override void Print(StringBuilder sb, EmatchData data)
    {
        var m = (MetaEmatch)data;
        PrintObject(sb, m.Left);
        sb.Append(m.Left.Op switch
        {
            EmatchFlags.OpndEq => " eq ",
            EmatchFlags.OpndLt => " lt ",
            EmatchFlags.OpndGt => " gt ",
            _ => "",
        });
        PrintObject(sb, m.Right);
    }

    /// <summary>print_object().</summary>
    private static void PrintObject(StringBuilder sb, MetaOperand o)
    {
        if (o.Id == MetaOperand.IdValue)
        {
            if (o.Type == MetaOperand.TypeInt && o.IntValue is { } v) CFormat.Append(sb, "%d", (int)v);
            else if (o.Type == MetaOperand.TypeVar && o.VarValue is { } s) PrintBinary(sb, s);
            return;
        }
        MetaTable.Entry? e = MetaTable.ById(o.Id);
        sb.Append(e is null ? $"[unknown meta id {o.Id}]" : e.Name);
        if (o.Shift != 0) CFormat.Append(sb, " shift %d", o.Shift);
        if (o.Type == MetaOperand.TypeInt && o.IntValue is { } mask && mask != 0) CFormat.Append(sb, " mask 0x%08x", mask);
    }

    /// <summary>print_binary(): printable text as is, else hex bytes and the text with dots.</summary>
    private static void PrintBinary(StringBuilder sb, string s)
    {
        if (s.All(c => c is >= ' ' and <= '~'))
        {
            sb.Append(s);
            return;
        }
        foreach (char c in s) CFormat.Append(sb, "%02x ", (byte)c);
        sb.Append('"');
        foreach (char c in s) sb.Append(c is >= ' ' and <= '~' ? c : '.');
        sb.Append('"');
    }

    /// <summary>em_meta_change(): both sides of one type, known ids with a collector, sane value attributes.</summary>
    public override EmatchMatcher Create(EmatchData data, FilterNamespace ns)
    {
        var m = (MetaEmatch)data;
        if (m.Left.Type != m.Right.Type || m.Left.Type > MetaOperand.TypeInt || m.Left.Id > MetaId.Max ||
            m.Right.Id > MetaId.Max)
        {
            throw KernelError.Errno(Errno.EINVAL);
        }
        if (!IsSupported(m.Left) || !IsSupported(m.Right)) throw KernelError.Errno(Errno.EOPNOTSUPP);
        if (m.Left.VarValue is { Length: 0 } || m.Right.VarValue is { Length: 0 }) throw KernelError.Errno(Errno.EINVAL);
        return new MetaMatcher(m, ns);
    }

    /// <summary>meta_is_supported(): a value, or an id with a collector for its type.</summary>
    private static bool IsSupported(MetaOperand o)
    {
        if (o.Id == MetaId.Value) return true;
        if (o.Type == MetaOperand.TypeVar) return o.Id is MetaId.Dev or MetaId.SkBoundIf;
        return o.Id != MetaId.SkRouteCaps;
    }
}
