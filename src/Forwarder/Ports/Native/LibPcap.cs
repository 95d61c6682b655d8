using System.Runtime.InteropServices;

namespace Forwarder.Ports.Native;

/// <summary>The libpcap calls SharpPcap does not expose: direction filtering and the selectable descriptor.</summary>
internal static partial class LibPcap
{
    private const string Lib = "libpcap.so.0.8";

    public const int PCAP_D_IN = 1;

    [LibraryImport(Lib)]
    public static partial int pcap_setdirection(nint handle, int direction);

    [LibraryImport(Lib)]
    public static partial int pcap_get_selectable_fd(nint handle);

    [LibraryImport(Lib)]
    public static partial int pcap_inject(nint handle, nint buffer, nuint size);
}
