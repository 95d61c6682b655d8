namespace Sched.Fast.Shaping;

/// <summary>
/// The link layer a rate is computed for (include/uapi/linux/pkt_sched.h TC_LINKLAYER_*): on ATM every packet is
/// carried in 48-byte cell payloads of 53-byte cells, so its wire time is rounded up to whole cells.
/// </summary>
public enum LinkLayer : byte
{
    /// <summary>TC_LINKLAYER_UNAWARE: an old tc that did not say; the kernel guesses from the rate table.</summary>
    Unaware = 0,
    /// <summary>TC_LINKLAYER_ETHERNET: bytes as they are.</summary>
    Ethernet = 1,
    /// <summary>TC_LINKLAYER_ATM: 53-byte cells carrying 48 bytes each (ADSL).</summary>
    Atm = 2,
}
