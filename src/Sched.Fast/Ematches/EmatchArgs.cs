using Sched.Fast.Tc;

namespace Sched.Fast.Ematches;

/// <summary>tc/m_ematch.h helpers the kind parsers share: bstrtoul(), parse_layer().</summary>
public static class EmatchArgs
{
    /// <summary>bstrtoul(): strtoul(text, &amp;end, 0) accepting a numeric prefix; null for "no digits" or ULONG_MAX.</summary>
    public static ulong? ToUlong(EmatchArg a)
    {
        ulong v = CStrtol.Strtoul(a.Text, 0, 0, out int end, out _);
        if (end == 0 || v == ulong.MaxValue) return null;
        return v;
    }

    /// <summary>parse_layer(): by the first letter (l, n, t), else null.</summary>
    public static int? Layer(EmatchArg a) => a.Text.Length == 0 ? null : a.Text[0] switch
    {
        'l' => EmatchFlags.LayerLink,
        'n' => EmatchFlags.LayerNetwork,
        't' => EmatchFlags.LayerTransport,
        _ => null,
    };

    /// <summary>The argument after <paramref name="i"/>, or null.</summary>
    public static EmatchArg? After(IReadOnlyList<EmatchArg> args, int i) => i + 1 < args.Count ? args[i + 1] : null;

    /// <summary>tcf_get_base_ptr(): the offset of a layer's header, or null for an unknown layer.</summary>
    public static int? LayerOffset(int layer, in Classifiers.PacketHeaders h) => layer switch
    {
        EmatchFlags.LayerLink => 0,
        EmatchFlags.LayerNetwork => h.Network,
        EmatchFlags.LayerTransport => h.Transport,
        _ => null,
    };
}
