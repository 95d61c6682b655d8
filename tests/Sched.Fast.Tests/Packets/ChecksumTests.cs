using Sched.Fast.Packets;

namespace Sched.Fast.Tests.Packets;

public class ChecksumTests
{
    // An IPv4 header from a real capture (RFC 1071 worked examples use the same arithmetic): checksum 0xb861.
    private static readonly byte[] s_ipv4Header =
        Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");

    [Fact]
    public void Computes_the_ipv4_header_checksum_of_a_known_header()
    {
        Assert.Equal(0xB861, Checksum.Compute(s_ipv4Header));
    }

    [Fact]
    public void A_header_with_its_checksum_verifies()
    {
        byte[] h = (byte[])s_ipv4Header.Clone();
        h[10] = 0xB8; h[11] = 0x61;
        Assert.True(Checksum.Verify(h));
        h[8] = 63;
        Assert.False(Checksum.Verify(h));
    }

    [Fact]
    public void Incremental_update_equals_recomputation_rfc1624()
    {
        var rng = new Random(1);
        for (int i = 0; i < 1000; i++)
        {
            byte[] data = new byte[20];
            rng.NextBytes(data);
            data[10] = data[11] = 0;
            ushort check = Checksum.Compute(data);
            int word = rng.Next(10) * 2;
            if (word == 10) continue;
            ushort oldWord = (ushort)(data[word] << 8 | data[word + 1]);
            ushort newWord = (ushort)rng.Next(65536);
            data[word] = (byte)(newWord >> 8); data[word + 1] = (byte)newWord;
            ushort updated = Checksum.Update16(check, oldWord, newWord);
            Assert.True(Checksum.Verify(WithChecksum(data, updated)), $"update of word {word} does not verify");
        }
    }

    private static byte[] WithChecksum(byte[] data, ushort check)
    {
        byte[] copy = (byte[])data.Clone();
        copy[10] = (byte)(check >> 8); copy[11] = (byte)check;
        return copy;
    }

    [Fact]
    public void Odd_length_data_pads_the_last_byte_with_zero()
    {
        Assert.Equal(Checksum.Compute([0x12, 0x34, 0x56, 0x00]), Checksum.Compute([0x12, 0x34, 0x56]));
    }
}
