using System.Buffers.Binary;
using Bpf.Native.Helpers.Tc;

namespace Bpf.Native.Tests.TcHelperSet;

/// <summary>The checksum arithmetic of the l3/l4 replace helpers (RFC 1071, RFC 1624) and x86-64's csum_partial.</summary>
public sealed class InternetChecksumTests
{
    [Fact]
    public void Csum_partial_is_x86s_unfolded_sum()
    {
        // bpf_csum_diff({1.2.3.4, 5.6.7.8} -> {0x11121314, 0x15161718}, seed 0x1234) on Linux 6.1 x86-64.
        Span<byte> buffer = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, ~0x01020304u);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], ~0x05060708u);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], 0x11121314u);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], 0x15161718u);
        Assert.Equal(0x20203254u, InternetChecksum.Partial(buffer, 0x1234));
    }

    [Fact]
    public void A_replaced_field_gives_the_checksum_computed_from_scratch()
    {
        var random = new Random(4);
        for (int round = 0; round < 1000; round++)
        {
            byte[] header = new byte[20];
            random.NextBytes(header);
            header[10] = header[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), Full(header));
            ushort check = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10)); // as loaded natively
            int at = random.Next(0, 5) * 4;
            if (at == 8) at = 12;
            uint before = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(at));
            uint after = (uint)random.Next();
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(at), after);
            ushort updated = InternetChecksum.Replace4(check, before, after);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), updated);
            Assert.Equal(0, Verify(header));

            ushort before16 = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(2));
            ushort after16 = (ushort)random.Next(0, 65536);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), after16);
            updated = InternetChecksum.Replace2(updated, before16, after16);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), updated);
            Assert.Equal(0, Verify(header));
        }
    }

    private static ushort Full(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    private static int Verify(ReadOnlySpan<byte> header) => Full(header);
}
