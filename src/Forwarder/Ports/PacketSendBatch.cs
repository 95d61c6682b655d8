using System.Runtime.InteropServices;
using Forwarder.Ports.Native;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;

namespace Forwarder.Ports;

/// <summary>
/// Frames waiting for one sendmmsg(2) on a packet socket, gathered straight from each packet's memory: a VLAN tag
/// held in metadata goes in as an iovec of its own between the addresses and the EtherType, so nothing is copied.
/// The batch owns its packets until <see cref="Send"/> or <see cref="Discard"/> frees them.
/// </summary>
/// <remarks>
/// Each frame meets the kernel exactly as a send(2) of it would (pcap_inject() is that call): sendmmsg runs
/// packet_sendmsg() per message and stops at the first one that fails. That frame is counted as dropped and the
/// batch goes on after it, as a failed pcap_inject() would have dropped it. The error the kernel parked in sk_err
/// for the caller is read back (SO_ERROR clears it): libpcap's receive would otherwise report it as a capture error.
/// </remarks>
internal sealed unsafe class PacketSendBatch : IDisposable
{
    private const int IovPerFrame = 3;

    private readonly Packet?[] _packets;
    private readonly LibC.MMsgHdr* _messages;
    private readonly LibC.IoVec* _iov;
    private readonly byte* _tags;

    public PacketSendBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _packets = new Packet?[capacity];
        _messages = (LibC.MMsgHdr*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(LibC.MMsgHdr));
        _iov = (LibC.IoVec*)NativeMemory.AllocZeroed((nuint)(capacity * IovPerFrame), (nuint)sizeof(LibC.IoVec));
        _tags = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * VlanHeader.TagLength));
        for (int i = 0; i < capacity; i++) _messages[i].Iov = _iov + i * IovPerFrame;
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>Adds a frame (at least an Ethernet header long, checked against the MTU by the caller).</summary>
    public void Add(Packet packet)
    {
        int i = Count++;
        _packets[i] = packet;
        LibC.IoVec* v = _messages[i].Iov;
        byte* data = packet.DataPointer;
        if (packet.Meta.VlanPresent == 0)
        {
            v[0] = new LibC.IoVec { Base = data, Length = (nuint)packet.Length };
            _messages[i].IovLength = 1;
            return;
        }
        // __vlan_hwaccel_push_inside(): the tag goes back in front of the EtherType.
        byte* tag = _tags + i * VlanHeader.TagLength;
        TxFrameWriter.WriteTag(packet, new Span<byte>(tag, VlanHeader.TagLength));
        v[0] = new LibC.IoVec { Base = data, Length = EthernetFrame.EtherTypeOffset };
        v[1] = new LibC.IoVec { Base = tag, Length = VlanHeader.TagLength };
        v[2] = new LibC.IoVec { Base = data + EthernetFrame.EtherTypeOffset, Length = (nuint)(packet.Length - EthernetFrame.EtherTypeOffset) };
        _messages[i].IovLength = 3;
    }

    /// <summary>Sends every frame on <paramref name="fd"/>, counts each as sent or dropped, frees them all.</summary>
    public void Send(int fd, PortStats stats)
    {
        int done = 0;
        while (done < Count)
        {
            int sent = LibC.sendmmsg(fd, _messages + done, (uint)(Count - done), 0);
            if (sent < 0)
            {
                if (LibC.Errno == LibC.EINTR) continue;
                stats.TxDropped++;
                done++;
                continue;
            }
            for (int end = done + sent; done < end; done++)
            {
                stats.TxPackets++;
                stats.TxBytes += _messages[done].SentLength;
            }
            // A short count: the next frame failed (its error parked in sk_err) or a signal cut the call short.
            if (done < Count && LibC.TakeSocketError(fd) != 0)
            {
                stats.TxDropped++;
                done++;
            }
        }
        Discard();
    }

    /// <summary>Frees the frames without sending them.</summary>
    public void Discard()
    {
        for (int i = 0; i < Count; i++)
        {
            _packets[i]!.Free();
            _packets[i] = null;
        }
        Count = 0;
    }

    public void Dispose()
    {
        Discard();
        NativeMemory.Free(_messages);
        NativeMemory.Free(_iov);
        NativeMemory.Free(_tags);
    }
}
