using System.Globalization;
using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers;

/// <summary>
/// EtherType names as tc reads and prints them (lib/ll_proto.c llproto_names, ll_proto_a2n(), ll_proto_n2a()):
/// "ip", "ipv6", "802.1Q", "all", ..., any 16-bit number on input, "[N]" for unnamed values on output.
/// </summary>
public static class ProtocolNames
{
    private static readonly (ushort Id, string Name)[] s_names =
    [
        (0x0060, "loop"), (0x0200, "pup"), (0x0201, "pupat"), (0x0800, "ip"), (0x0805, "x25"), (0x0806, "arp"),
        (0x08FF, "bpq"), (0x0a00, "ieeepup"), (0x0a01, "ieeepupat"), (0x6000, "dec"), (0x6001, "dna_dl"),
        (0x6002, "dna_rc"), (0x6003, "dna_rt"), (0x6004, "lat"), (0x6005, "diag"), (0x6006, "cust"), (0x6007, "sca"),
        (0x8035, "rarp"), (0x809B, "atalk"), (0x80F3, "aarp"), (0x8137, "ipx"), (0x86DD, "ipv6"),
        (0x8863, "ppp_disc"), (0x8864, "ppp_ses"), (0x884c, "atmmpoa"), (0x8884, "atmfate"), (0x0001, "802_3"),
        (0x0002, "ax25"), (0x0003, "all"), (0x0004, "802_2"), (0x0005, "snap"), (0x0006, "ddcmp"),
        (0x0007, "wan_ppp"), (0x0008, "ppp_mp"), (0x0009, "localtalk"), (0x000C, "can"), (0x0010, "ppptalk"),
        (0x0011, "tr_802_2"), (0x0015, "mobitex"), (0x0016, "control"), (0x0017, "irda"), (0x0018, "econet"),
        (0x88CA, "tipc"), (0x8892, "profinet"), (0x88A2, "aoe"), (0x88A4, "ethercat"), (0x8100, "802.1Q"),
        (0x88A8, "802.1ad"), (0x8847, "mpls_uc"), (0x8848, "mpls_mc"), (0x6558, "teb"), (0x8100, "802.1Q"),
        (0x88cc, "LLDP"), (0x0800, "ipv4"),
    ];

    /// <summary>ll_proto_a2n(): a name (case-insensitive) or a number (any base) that fits 16 bits.</summary>
    public static bool TryParse(string word, out ushort protocol)
    {
        foreach (var (id, name) in s_names)
        {
            if (string.Equals(name, word, StringComparison.OrdinalIgnoreCase))
            {
                protocol = id;
                return true;
            }
        }
        return CStrtol.TryParseU16(word, 0, out protocol);
    }

    /// <summary>ll_proto_n2a(): the first name of <paramref name="protocol"/>, or "[N]".</summary>
    public static string Format(ushort protocol)
    {
        foreach (var (id, name) in s_names)
        {
            if (id == protocol) return name;
        }
        return "[" + protocol.ToString(CultureInfo.InvariantCulture) + "]";
    }
}
