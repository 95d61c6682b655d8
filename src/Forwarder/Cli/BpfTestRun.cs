using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Bpf.Native.Programs;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Packets;

namespace Forwarder.Cli;

/// <summary>
/// One test run of a tc program, as the kernel's BPF_PROG_TEST_RUN does it for SCHED_CLS / SCHED_ACT
/// (net/bpf/test_run.c bpf_prog_test_run_skb(), convert___skb_to_skb(), convert_skb_to___skb()): the frame (at
/// least ETH_HLEN bytes, at most a page less the skb's headroom and tailroom) becomes a packet received on the
/// loopback device (ifindex 1; protocol and packet type by eth_type_trans()), the optional <c>__sk_buff</c> input
/// may set only mark, priority, ingress_ifindex, ifindex (1), cb, tstamp, wire_len, gso_segs, gso_size and
/// hwtstamp (anything else non-zero is EINVAL, bytes past the struct must be zero or E2BIG), and the program runs
/// <c>repeat</c> times on the same packet. Errors are negative errno values, as bpftool reports them.
/// </summary>
internal sealed class BpfTestRun
{
    public const int EthernetHeaderBytes = 14;

    /// <summary>PAGE_SIZE - NET_SKB_PAD - SKB_DATA_ALIGN(sizeof(struct skb_shared_info)): the largest frame.</summary>
    public const int MaxDataBytes = 4096 - 64 - 320;

    private const int SkBuffBytes = 192;
    private const int RoomBytes = 16384;
    private const int LoopbackIfIndex = 1;
    private const uint GsoLegacyMaxSize = 65536;
    private const uint GsoMaxSegs = 65535;

    public const int EINVAL = -22;
    public const int E2BIG = -7;
    public const int ENODEV = -19;

    public uint ReturnValue { get; private init; }

    public ulong DurationNs { get; private init; }

    public byte[] DataOut { get; private init; } = [];

    public byte[] ContextOut { get; private init; } = [];

    /// <summary>Runs <paramref name="program"/>; the result, or the negative errno the kernel would return.</summary>
    public static BpfTestRun? Run(LoadedProgram program, ReadOnlySpan<byte> data, ReadOnlySpan<byte> context, uint repeat, out int error)
    {
        error = 0;
        if (data.Length < EthernetHeaderBytes || data.Length > MaxDataBytes)
        {
            error = EINVAL;
            return null;
        }
        Span<byte> ctx = stackalloc byte[SkBuffBytes];
        ctx.Clear();
        if (!context.IsEmpty)
        {
            if (context.Length > SkBuffBytes && context[SkBuffBytes..].IndexOfAnyExcept((byte)0) >= 0)
            {
                error = E2BIG;
                return null;
            }
            context[..Math.Min(context.Length, SkBuffBytes)].CopyTo(ctx);
            if (!ContextFieldsAllowed(ctx))
            {
                error = EINVAL;
                return null;
            }
            if (Read32(ctx, 40) > LoopbackIfIndex)
            {
                error = ENODEV;
                return null;
            }
        }

        // The kernel reallocates the buffer when a helper needs room; room enough for BPF_SKB_MAX_LEN either side.
        using var pool = new PacketPool(1, 2 * RoomBytes, headroom: RoomBytes);
        Packet packet = pool.Rent()!;
        try
        {
            packet.Load(data);
            ref PacketMetadata m = ref packet.Meta;
            m.Protocol = EthTypeTrans(data, out byte packetType);
            m.PacketType = packetType;
            m.IfIndex = LoopbackIfIndex;
            m.Mark = Read32(ctx, 8);
            m.Priority = Read32(ctx, 32);
            m.IngressIfIndex = (int)Read32(ctx, 36);
            ctx.Slice(48, 20).CopyTo(MemoryMarshal.AsBytes((Span<uint>)m.Cb));
            m.TstampNs = (long)BinaryPrimitives.ReadUInt64LittleEndian(ctx[152..]);
            uint wireLength = Read32(ctx, 160);
            if (wireLength != 0 && (wireLength < (uint)data.Length || wireLength > GsoLegacyMaxSize))
            {
                error = EINVAL;
                return null;
            }
            m.QdiscLength = wireLength == 0 ? data.Length : (int)wireLength;
            if (Read32(ctx, 164) > GsoMaxSegs)
            {
                error = EINVAL;
                return null;
            }

            uint retval = 0;
            repeat = Math.Max(repeat, 1);
            PacketBpfHost host = PacketBpfHost.Current;
            long start = Stopwatch.GetTimestamp();
            for (uint i = 0; i < repeat; i++)
            {
                retval = (uint)host.Run(program.Program, packet, devices: null);
            }
            long elapsed = Stopwatch.GetTimestamp() - start;
            ulong totalNs = (ulong)(elapsed * (1_000_000_000.0 / Stopwatch.Frequency));

            var contextOut = new byte[SkBuffBytes];
            Write32(contextOut, 8, m.Mark);
            Write32(contextOut, 32, m.Priority);
            Write32(contextOut, 36, (uint)m.IngressIfIndex);
            Write32(contextOut, 40, (uint)m.IfIndex);
            MemoryMarshal.AsBytes((Span<uint>)m.Cb).CopyTo(contextOut.AsSpan(48, 20));
            BinaryPrimitives.WriteInt64LittleEndian(contextOut.AsSpan(152), m.TstampNs);
            Write32(contextOut, 160, (uint)m.QdiscLength);
            Write32(contextOut, 164, Read32(ctx, 164));
            ctx.Slice(184, 8).CopyTo(contextOut.AsSpan(184));
            return new BpfTestRun
            {
                ReturnValue = retval,
                DurationNs = totalNs / repeat,
                DataOut = packet.Data.ToArray(),
                ContextOut = contextOut,
            };
        }
        finally
        {
            packet.Free();
        }
    }

    /// <summary>convert___skb_to_skb(): the ranges that must be zero.</summary>
    private static bool ContextFieldsAllowed(ReadOnlySpan<byte> ctx) =>
        Zero(ctx, 0, 8) && Zero(ctx, 12, 32) && Zero(ctx, 44, 48) && Zero(ctx, 68, 152) && Zero(ctx, 168, 176)
        && Zero(ctx, 180, 184);

    private static bool Zero(ReadOnlySpan<byte> ctx, int from, int to) => ctx[from..to].IndexOfAnyExcept((byte)0) < 0;

    private static uint Read32(ReadOnlySpan<byte> ctx, int at) => BinaryPrimitives.ReadUInt32LittleEndian(ctx[at..]);

    private static void Write32(Span<byte> ctx, int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(ctx[at..], value);

    /// <summary>eth_type_trans() on the loopback device (address 00:00:00:00:00:00): protocol and packet type.</summary>
    private static ushort EthTypeTrans(ReadOnlySpan<byte> frame, out byte packetType)
    {
        ReadOnlySpan<byte> destination = frame[..6];
        if (destination.IndexOfAnyExcept((byte)0) < 0)
        {
            packetType = 0; // PACKET_HOST
        }
        else if ((destination[0] & 1) != 0)
        {
            packetType = destination.IndexOfAnyExcept((byte)0xff) < 0 ? (byte)1 : (byte)2; // BROADCAST / MULTICAST
        }
        else
        {
            packetType = 3; // PACKET_OTHERHOST
        }
        ushort proto = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        if (proto >= 0x0600)
        {
            return proto;
        }
        return frame.Length >= 16 && frame[14] == 0xff && frame[15] == 0xff ? (ushort)0x0001 : (ushort)0x0004;
    }
}
