using Sched.Fast.Qdiscs;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tc.Show;

/// <summary>
/// tc/tc_class.c print_class(): one class of a dump. iproute2 6.1 prints classes with fprintf only, so the output
/// is plain text even under -j (the writer passed in is a plain one).
/// </summary>
public static class ClassPrinter
{
    /// <param name="filterQdisc">tc class show ... qdisc X: classids print as their minor only.</param>
    public static void Print(TcWriter w, ClassDump d, bool showDevice, uint filterQdisc, Action<string> stderr)
    {
        string id = d.ClassId == 0 ? "" : TcHandle.Format(filterQdisc != 0 ? TcHandle.Minor(d.ClassId) : d.ClassId);
        w.Plain($"class {d.Kind} {id} ");
        if (showDevice) w.Plain($"dev {d.DeviceName} ");
        if (d.Parent == TcHandle.Root) w.Plain("root ");
        else w.Plain($"parent {TcHandle.Format(filterQdisc != 0 ? TcHandle.Minor(d.Parent) : d.Parent)} ");
        if (d.LeafHandle != 0) w.Plain(CFormat.Format("leaf %x: ", d.LeafHandle >> 16));
        QdiscKind? kind = QdiscKinds.Find(d.Kind);
        if (d.Options is not null)
        {
            if (kind is not null) kind.PrintClassOptions(w, d.Options);
            else stderr("[cannot parse class parameters]");
        }
        w.Plain("\n");
        if (w.Options.ShowStats > 0)
        {
            // A kind without cops->dump_stats (netem) dumps an empty TCA_STATS2: tc prints only the line break.
            if (d.Class.HasStatistics) StatsPrinter.Print(w, d.Stats, d.RateEstimate, " ", d.HasBasicStats);
            w.Plain("\n");
            if (d.Xstats is { } x && kind is not null)
            {
                kind.PrintClassXstats(w, x);
                w.Plain("\n");
            }
        }
    }
}
