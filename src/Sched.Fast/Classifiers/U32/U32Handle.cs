using System.Text;
using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers.U32;

/// <summary>
/// u32 handles: 12 bits of hash table id, 8 bits of bucket, 12 bits of node id (include/uapi/linux/pkt_cls.h
/// TC_U32_HTID/HASH/NODE/KEY), read and written as "htid:bucket:node" in hex (tc/f_u32.c get_u32_handle(),
/// sprint_u32_handle()).
/// </summary>
public static class U32Handle
{
    /// <summary>TC_U32_ROOT: the htid that names the classifier's own root table.</summary>
    public const uint Root = 0xFFFu << 20;

    public static uint Htid(uint h) => h & 0xFFF0_0000;
    public static uint UserHtid(uint h) => Htid(h) >> 20;
    public static uint Hash(uint h) => (h >> 12) & 0xFF;
    public static uint Node(uint h) => h & 0xFFF;
    public static uint Key(uint h) => h & 0xF_FFFF;

    /// <summary>get_u32_handle(): "800:", "800:0:801", "0x80000801", ":1:" ...</summary>
    public static bool TryParse(string str, out uint handle)
    {
        handle = 0;
        if (!str.Contains(':'))
        {
            if (str.StartsWith("0x", StringComparison.Ordinal)) return CStrtol.TryParseU32(str, 16, out handle);
            return false;
        }
        int p = 0;
        ulong htid = CStrtol.Strtoul(str, p, 16, out int tmp, out _);
        if (tmp == p && p < str.Length && str[p] != ':') return false;
        if (htid >= 0x1000) return false;
        ulong hash = 0, node = 0;
        if (tmp < str.Length)
        {
            p = tmp + 1;
            hash = CStrtol.Strtoul(str, p, 16, out tmp, out _);
            if (tmp == p && p < str.Length && str[p] != ':') return false;
            if (hash >= 0x100) return false;
            if (tmp < str.Length)
            {
                p = tmp + 1;
                node = CStrtol.Strtoul(str, p, 16, out tmp, out _);
                if (tmp == p && p < str.Length) return false;
                if (node >= 0x1000) return false;
            }
        }
        handle = (uint)((htid << 20) | (hash << 12) | node);
        return true;
    }

    /// <summary>sprint_u32_handle(): "none", "800:", "800::800", "2:7b:800", with "[%08x]" under tc -raw.</summary>
    public static string Format(uint handle, bool raw = false)
    {
        if (handle == 0) return "none";
        var sb = new StringBuilder();
        uint htid = Htid(handle), hash = Hash(handle), node = Node(handle);
        if (htid != 0) sb.Append((htid >> 20).ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append(':');
        if ((node | hash) != 0)
        {
            if (hash != 0) sb.Append(hash.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            if (node != 0) sb.Append(':').Append(node.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (raw) sb.Append('[').Append(handle.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append(']');
        return sb.ToString();
    }
}
