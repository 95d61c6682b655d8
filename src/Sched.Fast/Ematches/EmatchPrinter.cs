using System.Globalization;
using System.Text;

namespace Sched.Fast.Ematches;

/// <summary>
/// tc/m_ematch.c print_ematch(): the tree as indented text, containers in parentheses, relations as AND/OR and
/// inversions as NOT. tc writes it with fprintf straight to the output, JSON mode included.
/// </summary>
public static class EmatchPrinter
{
    public static string Format(EmatchTreeSpec tree)
    {
        var sb = new StringBuilder();
        if (tree.Count > 0)
        {
            sb.Append("\n  ");
            PrintSequence(sb, tree, 0, 1);
        }
        return sb.ToString();
    }

    /// <summary>print_ematch_seq(): entries from <paramref name="start"/> until one that ends the sequence.</summary>
    private static bool PrintSequence(StringBuilder sb, EmatchTreeSpec tree, int start, int prefix)
    {
        for (int i = start; ; i++)
        {
            if (i >= tree.Count) return false;
            EmatchEntry e = tree.Entries[i];
            if (e.IsInverted) sb.Append("NOT ");
            if (e.IsContainer)
            {
                sb.Append("(\n");
                for (int n = 0; n <= prefix; n++) sb.Append("  ");
                if (!PrintSequence(sb, tree, (int)e.ContainerRef, prefix + 1)) return false;
                for (int n = 0; n < prefix; n++) sb.Append("  ");
                sb.Append(") ");
            }
            else
            {
                EmatchKind? kind = EmatchKinds.Find(e.Kind);
                if (kind is null || e.Data is null)
                {
                    sb.Append("[unknown ematch ").Append(e.Kind.ToString(CultureInfo.InvariantCulture)).Append("]\n");
                }
                else
                {
                    sb.Append(kind.Name).Append('(');
                    kind.Print(sb, e.Data);
                    sb.Append(")\n");
                }
                if (e.Relation != EmatchFlags.RelEnd)
                {
                    for (int n = 0; n < prefix; n++) sb.Append("  ");
                }
            }
            switch (e.Relation)
            {
                case EmatchFlags.RelAnd:
                    sb.Append("AND ");
                    break;
                case EmatchFlags.RelOr:
                    sb.Append("OR ");
                    break;
                default:
                    return true;
            }
        }
    }
}
