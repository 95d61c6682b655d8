using System.Runtime.InteropServices;

namespace Forwarder.Ports.Native;

/// <summary>The libpcap calls SharpPcap does not expose (direction filtering, the selectable descriptor) or exposes at a cost per packet.</summary>
internal static partial class LibPcap
{
    private const string Lib = "libpcap.so.0.8";

    public const int PCAP_D_IN = 1;

    [LibraryImport(Lib)]
    public static partial int pcap_setdirection(nint handle, int direction);

    [LibraryImport(Lib)]
    public static partial int pcap_get_selectable_fd(nint handle);

    /// <summary>The packet socket under the handle; pcap_inject() is a send(2) on it.</summary>
    [LibraryImport(Lib)]
    public static partial int pcap_fileno(nint handle);

    /// <summary>struct pcap_stat on Linux: what the socket received and dropped (PACKET_STATISTICS, summed since open).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Stat
    {
        public uint Received;
        public uint Dropped;
        public uint InterfaceDropped;
    }

    [LibraryImport(Lib)]
    public static unsafe partial int pcap_stats(nint handle, Stat* stats);

    /// <summary>
    /// pcap_next_ex on the raw handle: SharpPcap's GetNextPacketPointers marshals its SafeHandle (two interlocked
    /// reference-count updates per call), which shows in the CPU per packet under a flood.
    /// </summary>
    [LibraryImport(Lib)]
    public static unsafe partial int pcap_next_ex(nint handle, nint* header, nint* data);
}
