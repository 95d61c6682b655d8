using Sched.Fast.Qdiscs;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tc.Show;

/// <summary>
/// tc/tc_qdisc.c print_qdisc(): one qdisc of a dump as tc prints it, plain or JSON, with -s, -d and -raw, the
/// kind's options printed by the kind's own printer (pfifo_fast through prio's, as tc hardcodes).
/// </summary>
public static class QdiscPrinter
{
    /// <param name="showDevice">False when the listing was for one device (tc then leaves "dev X" out).</param>
    public static void Print(TcWriter w, QdiscDump d, bool showDevice)
    {
        TcPrintOptions o = w.Options;
        w.OpenObject(null);
        w.String(PrintTarget.Any, "kind", "qdisc %s", d.Kind);
        w.String(PrintTarget.Any, "handle", " %s", CFormat.Format("%x:", d.Handle >> 16));
        if (o.ShowRaw) w.String(PrintTarget.Plain, null, "%s", CFormat.Format("[%08x]", d.Handle));
        w.String(PrintTarget.Plain, null, " ", null);
        if (showDevice) PrintDevice(w, d.DeviceName);
        if (d.Parent == TcHandle.Root) w.Bool(PrintTarget.Any, "root", "root ", true);
        else if (d.Parent != 0) w.String(PrintTarget.Any, "parent", "parent %s ", TcHandle.Format(d.Parent));
        if (d.RefCount != 1) w.Uint(PrintTarget.Any, "refcnt", "refcnt %u ", d.RefCount);
        if (d.IngressBlock != 0) w.Uint(PrintTarget.Any, "ingress_block", "ingress_block %u ", d.IngressBlock);
        if (d.EgressBlock != 0) w.Uint(PrintTarget.Any, "egress_block", "egress_block %u ", d.EgressBlock);

        QdiscKind? kind = QdiscKinds.Find(d.Kind);
        w.OpenObject("options");
        if (d.Options is not null && kind is not null) kind.PrintOptions(w, d.Options);
        w.CloseObject();
        w.Newline();

        if (o.ShowDetails && d.SizeTable is { } stab)
        {
            SizeTablePrinter.Print(w, stab);
            w.Newline();
        }
        if (o.ShowStats > 0)
        {
            StatsPrinter.Print(w, d.Stats, d.RateEstimate, " ");
            w.Newline();
            if (d.Xstats is { } x && kind is not null)
            {
                kind.PrintXstats(w, x);
                w.Newline();
            }
        }
        w.CloseObject();
    }

    /// <summary>tc_util.c print_devname(): "dev NAME " in plain text, "dev" in JSON.</summary>
    public static void PrintDevice(TcWriter w, string name)
    {
        if (!w.IsJson) w.Plain("dev ");
        w.String(PrintTarget.Any, "dev", "%s ", name);
    }
}
