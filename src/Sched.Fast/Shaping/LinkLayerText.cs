namespace Sched.Fast.Shaping;

/// <summary>tc/tc_util.c get_linklayer() and sprint_linklayer(): "ethernet", "atm", "adsl" (= atm).</summary>
public static class LinkLayerText
{
    /// <summary>get_linklayer(): a prefix of ethernet, atm or adsl.</summary>
    public static bool TryParse(string text, out LinkLayer linkLayer)
    {
        linkLayer = LinkLayer.Ethernet;
        if (IsPrefix(text, "ethernet")) linkLayer = LinkLayer.Ethernet;
        else if (IsPrefix(text, "atm") || IsPrefix(text, "adsl")) linkLayer = LinkLayer.Atm;
        else return false;
        return true;
    }

    /// <summary>sprint_linklayer().</summary>
    public static string Format(LinkLayer linkLayer) => linkLayer switch
    {
        LinkLayer.Unaware => "unspec",
        LinkLayer.Ethernet => "ethernet",
        LinkLayer.Atm => "atm",
        _ => "unknown",
    };

    private static bool IsPrefix(string word, string keyword) =>
        word.Length > 0 && word.Length <= keyword.Length && keyword.StartsWith(word, StringComparison.Ordinal);
}
