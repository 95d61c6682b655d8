using System.Net;
using Bpf.Native.Maps;
using CsCheck;

namespace Bpf.Native.Tests.Maps;

public sealed unsafe class LpmTrieMapTests
{
    private static BpfMap CreateV4(uint maxEntries = 64) =>
        MapTestKit.Create(BpfMapType.LpmTrie, 8, 4, maxEntries, BpfMapFlags.NoPrealloc);

    private static byte[] Key(string address, uint prefix)
    {
        var key = new byte[8];
        BitConverter.GetBytes(prefix).CopyTo(key, 0);
        IPAddress.Parse(address).GetAddressBytes().CopyTo(key, 4);
        return key;
    }

    private static uint? Match(BpfMap map, string address)
    {
        fixed (byte* key = Key(address, 32))
        {
            byte* value = map.Lookup(key);
            return value == null ? null : *(uint*)value;
        }
    }

    private static int Add(BpfMap map, string address, uint prefix, uint value, ulong flags = 0) =>
        map.UpdateElement(Key(address, prefix), BitConverter.GetBytes(value), flags);

    [Fact]
    public void Lookup_returns_the_longest_matching_prefix()
    {
        using BpfMap map = CreateV4();
        Assert.Equal(0, Add(map, "10.0.0.0", 8, 1));
        Assert.Equal(0, Add(map, "10.1.0.0", 16, 2));
        Assert.Equal(0, Add(map, "10.1.2.0", 24, 3));
        Assert.Equal(0, Add(map, "0.0.0.0", 0, 4));
        Assert.Equal(0, Add(map, "192.168.1.1", 32, 5));
        Assert.Equal(3u, Match(map, "10.1.2.3"));
        Assert.Equal(2u, Match(map, "10.1.9.9"));
        Assert.Equal(1u, Match(map, "10.9.9.9"));
        Assert.Equal(4u, Match(map, "11.0.0.0"));
        Assert.Equal(5u, Match(map, "192.168.1.1"));
        Assert.Equal(4u, Match(map, "192.168.1.2"));
    }

    [Fact]
    public void Delete_removes_an_exact_prefix_only()
    {
        using BpfMap map = CreateV4();
        Add(map, "10.0.0.0", 8, 1);
        Add(map, "10.1.0.0", 16, 2);
        Add(map, "10.1.2.0", 24, 3);
        Assert.Equal(BpfErrno.NoEntry, map.DeleteElement(Key("10.1.0.0", 17)));
        Assert.Equal(0, map.DeleteElement(Key("10.1.0.0", 16)));
        Assert.Equal(1u, Match(map, "10.1.9.9"));
        Assert.Equal(3u, Match(map, "10.1.2.9"));
        Assert.Equal(BpfErrno.NoEntry, map.DeleteElement(Key("10.1.0.0", 16)));
    }

    [Fact]
    public void Flags_and_capacity_follow_trie_update_elem()
    {
        using BpfMap map = CreateV4(maxEntries: 2);
        Assert.Equal(BpfErrno.NoEntry, Add(map, "10.0.0.0", 8, 1, BpfUpdateFlags.Exist));
        Assert.Equal(0, Add(map, "10.0.0.0", 8, 1, BpfUpdateFlags.NoExist));
        Assert.Equal(BpfErrno.Exists, Add(map, "10.0.0.0", 8, 1, BpfUpdateFlags.NoExist));
        Assert.Equal(0, Add(map, "10.0.0.0", 8, 9, BpfUpdateFlags.Exist));
        Assert.Equal(9u, Match(map, "10.2.3.4"));
        Assert.Equal(0, Add(map, "11.0.0.0", 8, 2));
        Assert.Equal(BpfErrno.NoSpace, Add(map, "12.0.0.0", 8, 3));
        Assert.Equal(0, Add(map, "11.0.0.0", 8, 4)); // replacing in a full trie works
        Assert.Equal(BpfErrno.Invalid, Add(map, "10.0.0.0", 33, 1));
    }

    [Fact]
    public void Get_next_key_lists_every_prefix()
    {
        using BpfMap map = CreateV4();
        Add(map, "10.0.0.0", 8, 1);
        Add(map, "10.1.0.0", 16, 2);
        Add(map, "172.16.0.0", 12, 3);
        List<byte[]> keys = map.Keys();
        Assert.Equal(3, keys.Count);
        // Post-order: the more specific 10.1/16 comes before the 10/8 that covers it.
        int specific = keys.FindIndex(k => BitConverter.ToUInt32(k) == 16);
        int covering = keys.FindIndex(k => BitConverter.ToUInt32(k) == 8);
        Assert.True(specific < covering);
    }

    [Fact]
    public void Random_operations_match_a_reference_longest_prefix_table()
    {
        // Two data bytes keep collisions between prefixes frequent.
        var op = Gen.Select(Gen.Int[0, 2], Gen.UShort, Gen.UInt[0, 16], Gen.UInt);
        op.Array[1, 60].Sample(ops =>
        {
            using BpfMap map = MapTestKit.Create(BpfMapType.LpmTrie, 6, 4, 32, BpfMapFlags.NoPrealloc);
            var reference = new Dictionary<(uint Prefix, ushort Data), uint>();
            foreach ((int kind, ushort raw, uint prefix, uint value) in ops)
            {
                ushort data = Mask(raw, prefix);
                byte[] key = TrieKey(prefix, data);
                if (kind < 2)
                {
                    int result = map.UpdateElement(key, BitConverter.GetBytes(value));
                    bool present = reference.ContainsKey((prefix, data));
                    if (!present && reference.Count >= 32)
                    {
                        Assert.Equal(BpfErrno.NoSpace, result);
                        continue;
                    }
                    Assert.Equal(0, result);
                    reference[(prefix, data)] = value;
                }
                else
                {
                    int result = map.DeleteElement(key);
                    Assert.Equal(reference.Remove((prefix, data)) ? 0 : BpfErrno.NoEntry, result);
                }
                for (int probe = 0; probe < 8; probe++)
                {
                    ushort address = (ushort)(raw * 31 + probe * 4099);
                    uint? expected = null;
                    uint best = 0;
                    foreach (((uint p, ushort d), uint v) in reference)
                    {
                        if (Mask(address, p) == d && (expected is null || p > best))
                        {
                            expected = v;
                            best = p;
                        }
                    }
                    fixed (byte* k = TrieKey(16, address))
                    {
                        byte* found = map.Lookup(k);
                        Assert.Equal(expected, found == null ? null : *(uint*)found);
                    }
                }
            }
            Assert.Equal(reference.Count, map.Keys().Count);
        }, iter: 300, threads: 1);
    }

    private static ushort Mask(ushort address, uint prefix) =>
        prefix == 0 ? (ushort)0 : (ushort)(address & (0xffff << (int)(16 - prefix)));

    private static byte[] TrieKey(uint prefix, ushort data)
    {
        var key = new byte[6];
        BitConverter.GetBytes(prefix).CopyTo(key, 0);
        key[4] = (byte)(data >> 8); // network order: the trie compares bits from the first byte's top bit
        key[5] = (byte)data;
        return key;
    }
}
