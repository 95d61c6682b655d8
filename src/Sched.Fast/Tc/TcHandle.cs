using System.Globalization;

namespace Sched.Fast.Tc;

/// <summary>
/// tc handles and classids (include/uapi/linux/pkt_sched.h): 16-bit major and minor in one u32. Parsing and printing
/// follow tc/tc_util.c get_qdisc_handle(), get_tc_classid() and print_tc_classid().
/// </summary>
public static class TcHandle
{
    public const uint Root = 0xFFFF_FFFF;        // TC_H_ROOT
    public const uint Ingress = 0xFFFF_FFF1;     // TC_H_INGRESS (also clsact's parent)
    public const uint Unspecified = 0;           // TC_H_UNSPEC
    public const uint IngressMajor = 0xFFFF_0000; // ffff:, the ingress/clsact qdisc's handle
    public const uint MinIngress = 0xFFF2;       // TC_H_MIN_INGRESS: clsact's ingress hook, ffff:fff2
    public const uint MinEgress = 0xFFF3;        // TC_H_MIN_EGRESS: clsact's egress hook, ffff:fff3
    public const uint MinPriority = 0xFFE0;      // TC_H_MIN_PRIORITY

    public static uint Major(uint h) => h & 0xFFFF_0000;
    public static uint Minor(uint h) => h & 0x0000_FFFF;
    public static uint Make(uint major, uint minor) => (major & 0xFFFF_0000) | (minor & 0x0000_FFFF);

    /// <summary>
    /// get_qdisc_handle(): "1:" -> 0x00010000; "none" -> 0. Like tc, only the major is read: anything after the
    /// colon is ignored ("1:2" is 1:).
    /// </summary>
    public static bool TryParseQdiscHandle(string text, out uint handle)
    {
        handle = 0;
        if (text == "none") return true;
        if (!TcValues.TryStrtoul(text, 16, out ulong maj, out int end) || maj >= 1 << 16) return false;
        if (end < text.Length && text[end] != ':') return false;
        handle = (uint)maj << 16;
        return true;
    }

    /// <summary>get_tc_classid(): "1:10" -> 0x00010010; "root"; "none"; ":5"; "1:"; "5" (minor 5 of major 0).</summary>
    public static bool TryParseClassId(string text, out uint classId)
    {
        classId = 0;
        if (text == "root")
        {
            classId = Root;
            return true;
        }
        if (text == "none") return true;
        if (!TcValues.TryStrtoul(text, 16, out ulong maj, out int end))
        {
            maj = 0;
            end = 0;
            if (text.Length == 0 || text[0] != ':') return false;
        }
        if (end < text.Length && text[end] == ':')
        {
            if (maj >= 1 << 16) return false;
            string minText = text[(end + 1)..];
            ulong min = 0;
            if (minText.Length > 0)
            {
                if (!TcValues.TryStrtoul(minText, 16, out min, out int minEnd))
                {
                    // strtoul() read nothing: only an empty rest is acceptable, and it was not empty.
                    return false;
                }
                if (minEnd != minText.Length || min >= 1 << 16) return false;
            }
            classId = (uint)(maj << 16) | (uint)min;
            return true;
        }
        if (end != text.Length) return false;
        classId = unchecked((uint)maj);
        return true;
    }

    /// <summary>print_tc_classid(): "root", "none", ":5", "1:", "1:10".</summary>
    public static string Format(uint h)
    {
        if (h == Root) return "root";
        if (h == Unspecified) return "none";
        if (Major(h) == 0) return ":" + Minor(h).ToString("x", CultureInfo.InvariantCulture);
        if (Minor(h) == 0) return (Major(h) >> 16).ToString("x", CultureInfo.InvariantCulture) + ":";
        return (Major(h) >> 16).ToString("x", CultureInfo.InvariantCulture) + ":" +
               Minor(h).ToString("x", CultureInfo.InvariantCulture);
    }
}
