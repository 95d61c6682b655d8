using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Classifiers;

/// <summary>tc/tc_filter.c print_filter(): one filter or chain message, as plain text or one JSON object.</summary>
public static class FilterPrinter
{
    private const uint ParentIngress = 0xFFFF_FFF2; // TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)
    private const uint ParentEgress = 0xFFFF_FFF3;  // TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)

    public static void Print(TcWriter w, FilterMessage m, FilterShowFilter shown, DeviceTable devices)
    {
        w.OpenObject(null);
        w.String(PrintTarget.Plain, null, m.IsChain ? "chain " : "filter ", null);
        if (m.IfIndex == BlockLookup.MagicBlockIfIndex)
        {
            if (shown.BlockIndex == 0 || shown.BlockIndex != m.BlockIndex)
                w.Uint(PrintTarget.Any, "block", "block %u ", m.BlockIndex);
        }
        else
        {
            if (shown.IfIndex == 0 || shown.IfIndex != m.IfIndex)
            {
                // print_devname()
                w.Plain("dev ");
                w.String(PrintTarget.Any, "dev", "%s ", devices.Find(m.IfIndex)?.Name ?? $"if{m.IfIndex}");
            }
            if (shown.Parent == 0 || shown.Parent != m.Parent)
            {
                if (m.Parent == TcHandle.Root) w.Bool(PrintTarget.Any, "root", "root ", true);
                else if (m.Parent == ParentIngress) w.Bool(PrintTarget.Any, "ingress", "ingress ", true);
                else if (m.Parent == ParentEgress) w.Bool(PrintTarget.Any, "egress", "egress ", true);
                else w.String(PrintTarget.Any, "parent", "parent %s ", TcHandle.Format(m.Parent));
            }
        }
        if (!m.IsChain && (m.Prio != 0 || m.Protocol != 0))
        {
            if ((shown.Protocol == 0 || shown.Protocol != m.Protocol) && m.Protocol != 0)
                w.String(PrintTarget.Any, "protocol", "protocol %s ", ProtocolNames.Format(m.Protocol));
            if ((shown.Prio == 0 || shown.Prio != m.Prio) && m.Prio != 0)
                w.Uint(PrintTarget.Any, "pref", "pref %u ", m.Prio);
        }
        if (m.Kind is not null) w.String(PrintTarget.Any, "kind", "%s ", m.Kind);
        if (m.Chain is { } chain && (shown.Chain is null || shown.Chain != chain))
            w.Uint(PrintTarget.Any, "chain", "chain %u ", chain);
        if (m.Kind is not null && m.Filter is { Options: not null } f)
        {
            w.OpenObject("options");
            if (ClassifierKinds.Find(m.Kind) is { } kind)
                kind.PrintOptions(w, f, new FilterPrintContext(m.Protocol, devices));
            w.CloseObject();
        }
        w.Newline();
        w.CloseObject();
    }
}
