using Bpf.Native.Execution;
using Bpf.Native.Semantics;

namespace Bpf.Native.Tests.Semantics;

/// <summary>
/// LD_ABS / LD_IND (net/core/filter.c bpf_gen_ld_abs and bpf_skb_load_helper_*): big-endian, the offset truncated
/// to a signed 32-bit int, SKF_LL_OFF / SKF_NET_OFF areas for negative offsets, -1 (end the program) outside.
/// </summary>
public sealed unsafe class PacketSemanticsTests
{
    private static long Load(Func<nint, long> load, byte[] packet, uint networkOffset = 0)
    {
        fixed (byte* data = packet)
        {
            var run = new BpfRunContext { PacketData = data, PacketLength = (uint)packet.Length, NetworkHeaderOffset = networkOffset };
            return load((nint)(&run));
        }
    }

    private static readonly byte[] s_packet = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc];

    [Fact]
    public void Loads_are_big_endian()
    {
        Assert.Equal(0x34, Load(r => PacketSemantics.Load8((BpfRunContext*)r, 1), s_packet));
        Assert.Equal(0x3456, Load(r => PacketSemantics.Load16((BpfRunContext*)r, 1), s_packet));
        Assert.Equal(0x9abc, Load(r => PacketSemantics.Load16((BpfRunContext*)r, 4), s_packet));
        Assert.Equal(0x5678_9abcL, Load(r => PacketSemantics.Load32((BpfRunContext*)r, 2), s_packet));
        Assert.Equal(0x12345678L, Load(r => PacketSemantics.Load32((BpfRunContext*)r, 0), s_packet));
    }

    [Fact]
    public void A_word_with_the_top_bit_set_is_not_sign_extended() =>
        Assert.Equal(0x9abc_0000L, Load(r => PacketSemantics.Load32((BpfRunContext*)r, 0), [0x9a, 0xbc, 0, 0]));

    [Theory]
    [InlineData(5UL, 2)]    // one byte short
    [InlineData(6UL, 1)]    // just past the end
    [InlineData(0xffff_ffffUL, 1)]   // (int) -1: below the packet
    [InlineData(0x7fff_ffffUL, 4)]
    public void Out_of_bounds_is_minus_one(ulong offset, int size)
    {
        long value = size switch
        {
            1 => Load(r => PacketSemantics.Load8((BpfRunContext*)r, offset), s_packet),
            2 => Load(r => PacketSemantics.Load16((BpfRunContext*)r, offset), s_packet),
            _ => Load(r => PacketSemantics.Load32((BpfRunContext*)r, offset), s_packet),
        };
        Assert.Equal(-1, value);
    }

    [Fact]
    public void The_offset_is_truncated_to_32_bits_as_the_kernel_passes_an_int() =>
        Assert.Equal(0x56, Load(r => PacketSemantics.Load8((BpfRunContext*)r, 0x1_0000_0002), s_packet));

    [Fact]
    public void Negative_offsets_address_the_link_layer_and_network_headers()
    {
        ulong linkLayer = unchecked((ulong)(PacketSemantics.LinkLayerOffsetBase + 3));
        ulong network = unchecked((ulong)(PacketSemantics.NetworkOffsetBase + 1));
        ulong below = unchecked((ulong)(PacketSemantics.LinkLayerOffsetBase - 1));

        Assert.Equal(0x78, Load(r => PacketSemantics.Load8((BpfRunContext*)r, linkLayer), s_packet));
        Assert.Equal(0xbc, Load(r => PacketSemantics.Load8((BpfRunContext*)r, network), s_packet, networkOffset: 4));
        Assert.Equal(-1, Load(r => PacketSemantics.Load16((BpfRunContext*)r, network), s_packet, networkOffset: 4));
        Assert.Equal(-1, Load(r => PacketSemantics.Load8((BpfRunContext*)r, below), s_packet));
    }
}
