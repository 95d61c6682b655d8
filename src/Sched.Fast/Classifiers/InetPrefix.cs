using System.Net;
using System.Net.Sockets;
using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers;

/// <summary>
/// lib/utils.c get_prefix_1() for AF_INET and AF_INET6: "1.2.3.4/24", the legacy "10.8" (= 10.8.0.0), dotted
/// masks ("/255.255.0.0"), "default", "any"/"all". The address bytes are in network order.
/// </summary>
public static class InetPrefix
{
    public static bool TryParse(string arg, bool ipv6, out byte[] address, out int bitLength)
    {
        address = new byte[ipv6 ? 16 : 4];
        bitLength = 0;
        int slash = arg.IndexOf('/');
        string a = slash < 0 ? arg : arg[..slash];
        int addrBits;
        bool special = false;
        if (a == "default" || a == "all" || a == "any")
        {
            special = true;
            addrBits = 0;
        }
        else if (a.Contains(':'))
        {
            if (!ipv6 || a.Contains('%') || !IPAddress.TryParse(a, out IPAddress? ip) ||
                ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
            address = ip.GetAddressBytes();
            addrBits = 128;
        }
        else
        {
            if (ipv6 || !TryParseIPv4(a, address)) return false;
            addrBits = 32;
        }

        if (slash >= 0)
        {
            if (special) return false;
            string m = arg[(slash + 1)..];
            if (!TryNetmask(m, out int plen) || plen > addrBits) return false;
            bitLength = plen;
        }
        else
        {
            bitLength = special ? 0 : addrBits;
        }
        return true;
    }

    /// <summary>get_addr_ipv4(): up to four parts, each strtoul() base 0 and at most 255.</summary>
    private static bool TryParseIPv4(string s, byte[] ap)
    {
        int cp = 0;
        for (int i = 0; i < 4; i++)
        {
            ulong n = CStrtol.Strtoul(s, cp, 0, out int end, out _);
            if (n > 255) return false;
            if (end == cp) return false;
            ap[i] = (byte)n;
            if (end == s.Length) break;
            if (i == 3 || s[end] != '.') return false;
            cp = end + 1;
        }
        return true;
    }

    /// <summary>get_netmask(): a prefix length, or a contiguous dotted-quad mask.</summary>
    private static bool TryNetmask(string arg, out int plen)
    {
        plen = 0;
        if (CStrtol.TryParseUnsigned(arg, 0, out uint v))
        {
            plen = (int)Math.Min(v, int.MaxValue);
            return true;
        }
        var mask = new byte[4];
        if (arg.Contains(':') || !TryParseIPv4(arg, mask)) return false;
        uint m = (uint)(mask[0] << 24 | mask[1] << 16 | mask[2] << 8 | mask[3]);
        uint host = ~m;
        if ((host & (host + 1)) != 0) return false;
        plen = 32 - System.Numerics.BitOperations.PopCount(host);
        return true;
    }
}
