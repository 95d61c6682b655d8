using System.Runtime.InteropServices;
using Forwarder.Ports;
using Forwarder.Tests.Support;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;

namespace Forwarder.Tests.Ports;

/// <summary>
/// The sendmmsg batch behind the pcap port's transmit, on a Unix socket pair (no root needed): frames leave whole,
/// in order, a VLAN tag from metadata gathered into place; when the socket refuses part of a batch, every frame is
/// counted once, as sent or dropped, and every packet goes back to the pool.
/// </summary>
public sealed partial class PacketSendBatchTests
{
    private const int AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5, SOCK_NONBLOCK = 0x800;

    [Fact]
    public void Frames_leave_whole_and_in_order_with_the_tag_put_back()
    {
        using var pool = new PacketPool(64);
        (int tx, int rx) = SocketPair(SOCK_SEQPACKET);
        try
        {
            using var batch = new PacketSendBatch(8);
            var expected = new List<byte[]>();
            for (int i = 0; i < 8; i++)
            {
                Packet p = pool.Rent()!;
                p.Load(Frames.Udp(64 + i, srcPort: (ushort)(2000 + i)));
                if (i == 3)
                {
                    p.Meta.VlanPresent = 1;
                    p.Meta.VlanProto = EtherType.Vlan8021AD;
                    p.Meta.VlanTci = 0x2064;
                }
                byte[] wire = new byte[TxFrameWriter.WireLength(p)];
                TxFrameWriter.Write(p, wire);
                expected.Add(wire);
                batch.Add(p);
            }
            Assert.True(batch.IsFull);
            var stats = new PortStats();
            batch.Send(tx, stats);

            Assert.Equal(0, batch.Count);
            Assert.Equal(8, stats.TxPackets);
            Assert.Equal(expected.Sum(f => (long)f.Length), stats.TxBytes);
            Assert.Equal(0, stats.TxDropped);
            Assert.Equal(pool.Count, pool.Available);
            byte[] buffer = new byte[2048];
            foreach (byte[] frame in expected)
            {
                int n = (int)Recv(rx, buffer, (nuint)buffer.Length, 0);
                Assert.Equal(frame, buffer[..n]);
            }
            Assert.Equal(new byte[] { 0x88, 0xa8, 0x20, 0x64, 0x08, 0x00 }, expected[3][12..18]); // 802.1ad TPID, TCI, IPv4
        }
        finally
        {
            Close(tx);
            Close(rx);
        }
    }

    [Fact]
    public void A_socket_that_refuses_part_of_the_batch_leaves_every_frame_counted_once()
    {
        using var pool = new PacketPool(64);
        // With the smallest send buffer, a datagram pair holds a few frames unread; then the non-blocking sender
        // gets EAGAIN, part way through the batch.
        (int tx, int rx) = SocketPair(SOCK_DGRAM | SOCK_NONBLOCK);
        try
        {
            SetSendBuffer(tx, 1);
            using var batch = new PacketSendBatch(48);
            for (int i = 0; i < 48; i++)
            {
                Packet p = pool.Rent()!;
                p.Load(Frames.Udp(80, srcPort: (ushort)(3000 + i)));
                batch.Add(p);
            }
            var stats = new PortStats();
            batch.Send(tx, stats);

            int queued = 0;
            byte[] buffer = new byte[2048];
            var ports = new List<int>();
            while (Recv(rx, buffer, (nuint)buffer.Length, 0x40 /* MSG_DONTWAIT */) > 0)
            {
                ports.Add(buffer[34] << 8 | buffer[35]);
                queued++;
            }
            Assert.InRange(queued, 1, 47);
            Assert.Equal(queued, stats.TxPackets);
            Assert.Equal(48 - queued, stats.TxDropped);
            Assert.Equal(80L * queued, stats.TxBytes);
            Assert.Equal(Enumerable.Range(3000, queued), ports); // the first ones, in order
            Assert.Equal(pool.Count, pool.Available);
        }
        finally
        {
            Close(tx);
            Close(rx);
        }
    }

    private static unsafe (int, int) SocketPair(int type)
    {
        int* fds = stackalloc int[2];
        Assert.Equal(0, NativeSocketPair(AF_UNIX, type, 0, fds));
        return (fds[0], fds[1]);
    }

    private static unsafe void SetSendBuffer(int fd, int bytes) =>
        Assert.Equal(0, NativeSetSockOpt(fd, 1 /* SOL_SOCKET */, 7 /* SO_SNDBUF */, &bytes, sizeof(int)));

    private static unsafe nint Recv(int fd, byte[] buffer, nuint length, int flags)
    {
        fixed (byte* b = buffer) return NativeRecv(fd, b, length, flags);
    }

    [LibraryImport("libc", EntryPoint = "socketpair")]
    private static unsafe partial int NativeSocketPair(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", EntryPoint = "setsockopt")]
    private static unsafe partial int NativeSetSockOpt(int fd, int level, int name, int* value, uint length);

    [LibraryImport("libc", EntryPoint = "recv")]
    private static unsafe partial nint NativeRecv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
