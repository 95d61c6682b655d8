using System.Text;
using Sched.Fast.Tc;

namespace Sched.Fast.Ematches;

/// <summary>
/// tc/m_ematch.c parse_ematch() with the grammar of tc/emp_ematch.y:
/// <code>
/// EXPR  := TERM [ { and | or } EXPR ]
/// TERM  := [ not ] { MATCH | '(' EXPR ')' }
/// MATCH := module '(' ARGS ')'
/// </code>
/// The expression ends at the first token after a complete expression that is not "and"/"or" (bison's
/// "expr error" rule), after which tc steps back one word; the tree is then flattened (containers point forward
/// to their sub-sequences) and each match's arguments go to its kind's parser. Errors print as tc prints them.
/// </summary>
public static class EmatchParser
{
    public const string Usage =
        "Usage: EXPR\n" +
        "where: EXPR  := TERM [ { and | or } EXPR ]\n" +
        "       TERM  := [ not ] { MATCH | '(' EXPR ')' }\n" +
        "       MATCH := module '(' ARGS ')'\n" +
        "       ARGS := ARG1 ARG2 ...\n" +
        "\n" +
        "Example: a(x y) and not (b(x) or c(x y z))\n";

    /// <summary>
    /// Parses the expression at the cursor (the word after "match"), leaving the cursor where tc leaves argv.
    /// Returns null for an empty expression. Failures are <see cref="TcException"/>s with exit code 1 carrying
    /// everything tc printed (without the caller's "Illegal "ematch"").
    /// </summary>
    public static EmatchTreeSpec? Parse(TcArgs args)
    {
        int begin = args.Position;
        IReadOnlyList<string> words = args.Rest;
        var lexer = new EmatchLexer(words, 0);
        var state = new State(lexer);
        Node? root;
        try
        {
            root = state.ParseInput();
        }
        catch (SyntaxError)
        {
            int consumed = words.Count - lexer.WordsLeft;
            string text = lexer.Diagnostics + ParseErrorText("Parse error", "syntax error", words, consumed, null, null, null);
            throw new TcException(text.TrimEnd('\n'));
        }

        // "undo look ahead by parser"
        int left = lexer.WordsLeft + 1;
        int consumedWords = words.Count - left;
        args.Seek(begin + consumedWords);
        if (root is null) return null;

        List<Node> flat = Flatten(root);
        var entries = new List<EmatchEntry>(flat.Count);
        foreach (Node n in flat)
        {
            ushort flags = (ushort)(n.Relation | (n.Inverted ? EmatchFlags.Invert : 0));
            if (n.Child is not null)
            {
                entries.Add(new EmatchEntry(EmatchFlags.Container, flags, null, (uint)n.ChildRef));
                continue;
            }
            string kindName = n.Args[0].Text;
            EmatchKind kind = EmatchKinds.Find(kindName) ??
                              throw new TcException($"Unknown ematch \"{kindName}\"");
            IReadOnlyList<EmatchArg> kindArgs = n.Args.Skip(1).Select(lexer.Resolve).ToList();
            EmatchData data;
            try
            {
                data = kind.Parse(kindArgs);
            }
            catch (EmatchArgException e)
            {
                if (e.Silent) throw new TcException(e.Message.TrimEnd('\n'));
                string text = ParseErrorText(e.Message, null, words, consumedWords, kindArgs, e.Arg, kind);
                throw new TcException(text.TrimEnd('\n'));
            }
            entries.Add(new EmatchEntry(kind.Id, flags, data));
        }
        return new EmatchTreeSpec(entries);
    }

    /// <summary>em_parse_error(): the message, the words read so far (the last marked), the match's arguments.</summary>
    private static string ParseErrorText(string message, string? parserError, IReadOnlyList<string> words,
        int consumed, IReadOnlyList<EmatchArg>? args, EmatchArg? current, EmatchKind? kind)
    {
        var sb = new StringBuilder(message);
        sb.Append(parserError is not null ? $": {parserError}\n... " : "\n... ");
        for (int i = 0; i < consumed; i++)
        {
            sb.Append(i == consumed - 1 ? $">>{words[i]}<< " : $"{words[i]} ");
        }
        sb.Append("...\n");
        if (args is not null && kind is not null)
        {
            sb.Append("... ").Append(kind.Name).Append('(');
            for (int i = 0; i < args.Count; i++)
            {
                bool mark = ReferenceEquals(args[i], current);
                if (mark) sb.Append(">>");
                foreach (char c in args[i].Text) sb.Append(c is >= ' ' and <= '~' ? c : '.');
                if (mark) sb.Append("<<");
                if (i + 1 < args.Count) sb.Append(' ');
            }
            sb.Append(")...\n");
        }
        sb.Append(kind is null ? Usage : kind.Usage);
        return sb.ToString();
    }

    /// <summary>A node of the parse tree (tc's struct ematch).</summary>
    private sealed class Node
    {
        public List<EmatchArg> Args = [];
        public bool Inverted;
        public ushort Relation;
        public Node? Child;
        public Node? Next;
        public int Index;
        public int ChildRef;
    }

    /// <summary>flatten_tree(): appends every sub-sequence to the end of the list and numbers the entries.</summary>
    private static List<Node> Flatten(Node root)
    {
        FlattenFrom(root, root);
        var list = new List<Node>();
        for (Node? t = root; t is not null; t = t.Next) list.Add(t);
        for (int i = 0; i < list.Count; i++) list[i].Index = i;
        foreach (Node t in list)
        {
            if (t.Child is not null) t.ChildRef = t.Child.Index;
        }
        return list;
    }

    private static void FlattenFrom(Node head, Node tree)
    {
        while (true)
        {
            if (tree.Child is not null)
            {
                Node t = head;
                while (t.Next is not null) t = t.Next;
                t.Next = tree.Child;
                FlattenFrom(head, tree.Child);
            }
            if (tree.Relation == 0) break;
            tree = tree.Next!;
        }
    }

    private sealed class SyntaxError : Exception;

    /// <summary>A recursive-descent equivalent of the bison parser, fetching look-ahead exactly when bison does.</summary>
    private sealed class State(EmatchLexer lexer)
    {
        private EmatchToken? _lookahead;

        private EmatchToken Peek() => _lookahead ??= lexer.Next();

        private EmatchToken Take()
        {
            EmatchToken t = Peek();
            _lookahead = null;
            return t;
        }

        public Node? ParseInput()
        {
            if (Peek().Kind == EmatchTokenKind.End) return null;
            // After the expression: end of input, or any other token (the "expr error" rule accepts).
            return ParseExpr();
        }

        private Node ParseExpr()
        {
            Node m = ParseMatch();
            EmatchTokenKind k = Peek().Kind;
            if (k is EmatchTokenKind.And or EmatchTokenKind.Or)
            {
                Take();
                m.Relation = k == EmatchTokenKind.And ? EmatchFlags.RelAnd : EmatchFlags.RelOr;
                m.Next = ParseExpr();
            }
            return m;
        }

        private Node ParseMatch()
        {
            var node = new Node();
            if (Peek().Kind == EmatchTokenKind.Not)
            {
                Take();
                node.Inverted = true;
            }
            EmatchToken t = Take();
            if (t.Kind == EmatchTokenKind.Attribute)
            {
                node.Args.Add(t.Arg!);
                if (Take().Kind != EmatchTokenKind.Open) throw new SyntaxError();
                if (Peek().Kind != EmatchTokenKind.Attribute) throw new SyntaxError();
                while (Peek().Kind == EmatchTokenKind.Attribute) node.Args.Add(Take().Arg!);
                if (Take().Kind != EmatchTokenKind.Close) throw new SyntaxError();
                return node;
            }
            if (t.Kind == EmatchTokenKind.Open)
            {
                node.Child = ParseExpr();
                if (Take().Kind != EmatchTokenKind.Close) throw new SyntaxError();
                return node;
            }
            throw new SyntaxError();
        }
    }
}
