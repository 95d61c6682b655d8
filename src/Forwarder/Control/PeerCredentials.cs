using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Forwarder.Control;

/// <summary>The identity of the process at the other end of a Unix socket (SO_PEERCRED, struct ucred).</summary>
public readonly partial record struct PeerCredentials(int ProcessId, uint UserId, uint GroupId)
{
    private const int SolSocket = 1;   // SOL_SOCKET
    private const int SoPeerCred = 17; // SO_PEERCRED

    public static PeerCredentials Of(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        int n = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (n < 12) throw new ControlException("SO_PEERCRED returned no credentials");
        return new PeerCredentials(
            MemoryMarshal.Read<int>(ucred),
            MemoryMarshal.Read<uint>(ucred[4..]),
            MemoryMarshal.Read<uint>(ucred[8..]));
    }

    /// <summary>geteuid() of this process.</summary>
    public static uint CurrentUserId => geteuid();

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
