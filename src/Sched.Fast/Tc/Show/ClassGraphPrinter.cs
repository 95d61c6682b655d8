using System.Text;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tc.Show;

/// <summary>
/// tc -g class show (tc/tc_class.c graph_node_add(), graph_cls_show(), graph_indent()): the class tree drawn with
/// "+---(1:10)" and "|" rails. The C code keeps singly linked lists built by adding at the head and "right" links
/// it never clears; both shape the drawing, so this port keeps the same structures and walks them the same way.
/// </summary>
public static class ClassGraphPrinter
{
    private sealed class Node
    {
        public required ClassDump Dump;
        public uint Id => Dump.ClassId;
        public uint ParentId => Dump.Parent;
        public Node? Next;          // hlist next in whichever list holds the node
        public Node? ParentNode;
        public Node? RightNode;
        public int NodesCount;
    }

    public static void Print(TcWriter w, IReadOnlyList<ClassDump> dumps)
    {
        Node? roots = null, others = null;
        foreach (ClassDump d in dumps)
        {
            var node = new Node { Dump = d };
            if (d.Parent == TcHandle.Root)
            {
                node.Next = roots;
                roots = node;
            }
            else
            {
                node.Next = others;
                others = node;
            }
        }
        var buf = new StringBuilder();
        Show(w, buf, roots, ref others);
    }

    private static void Show(TcWriter w, StringBuilder buf, Node? list, ref Node? pool)
    {
        for (Node? cls = list; cls is not null; cls = cls.Next)
        {
            Node? children = null;
            // Move cls's children from the pool to its own list, each added at the head.
            Node? prev = null;
            for (Node? c = pool; c is not null;)
            {
                Node? next = c.Next;
                if (c.ParentId == cls.Id)
                {
                    if (prev is null) pool = next; else prev.Next = next;
                    c.Next = children;
                    children = c;
                    cls.NodesCount++;
                    c.ParentNode = cls;
                }
                else
                {
                    prev = c;
                }
                c = next;
            }

            Indent(buf, cls, false, 0);
            string id = TcHandle.Format(cls.Id);
            buf.Append("+---(").Append(id).Append(')');
            string kindName = cls.Dump.Kind;
            buf.Append(' ').Append(kindName).Append(' ');
            w.Plain(buf.ToString());
            buf.Clear();

            QdiscKind? kind = QdiscKinds.Find(kindName);
            if (kind is not null && cls.Dump.Options is { } opt) kind.PrintClassOptions(w, opt);
            if (kind is not null && w.Options.ShowStats > 0)
            {
                int clsIndent = kind.Name.Length - 2 + id.Length;
                Indent(buf, cls, true, clsIndent);
                w.Plain("\n");
                StatsPrinter.Print(w, cls.Dump.Stats, cls.Dump.RateEstimate, buf.ToString());
                buf.Clear();
                if (cls.Next is not null || cls.NodesCount > 0)
                {
                    buf.Append('\n');
                    Indent(buf, cls, true, 0);
                }
            }
            w.Plain(buf + "\n");
            buf.Clear();

            Show(w, buf, children, ref pool);
            if (cls.Next is null)
            {
                Indent(buf, cls, false, 0);
                buf.Append('\n');
            }
            w.Plain(buf.ToString());
            buf.Clear();
        }
    }

    /// <summary>graph_indent().</summary>
    private static void Indent(StringBuilder buf, Node? node, bool isNewline, int addSpaces)
    {
        while (node?.ParentNode is { } parent)
        {
            parent.RightNode = node;
            node = parent;
        }
        while (node?.RightNode is { } right)
        {
            buf.Append(node.Next is not null ? "|    " : "     ");
            node = right;
        }
        if (isNewline && node is not null)
        {
            if (node.Next is not null && node.NodesCount > 0) buf.Append("|    |");
            else if (node.Next is not null) buf.Append("|     ");
            else if (node.NodesCount > 0) buf.Append("     |");
            else buf.Append("      ");
        }
        if (addSpaces > 0) buf.Append(' ', addSpaces);
    }
}
