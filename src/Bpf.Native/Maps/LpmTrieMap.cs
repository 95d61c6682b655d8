using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Bpf.Native.Maps;

/// <summary>
/// BPF_MAP_TYPE_LPM_TRIE (kernel/bpf/lpm_trie.c): longest-prefix match over keys { u32 prefixlen; u8 data[] }, with
/// the kernel's algorithm: a binary trie of real and intermediate nodes, lookups lock-free, updates and deletes
/// under one lock, nodes replaced (not edited) so readers see whole nodes. Nodes live in a pool of
/// 2 * max_entries + 1 (real nodes plus at most one intermediate each, plus one in flight); a node is
/// { i32 child[2]; u32 prefixlen; u32 flags; data; value }. Every index read is range-checked and every walk
/// bounded by the key's bit count, so a reader cannot fault on a concurrent update from another process.
/// </summary>
public sealed unsafe class LpmTrieMap : BpfMap
{
    private const int LockOffset = MapHeader.ControlOffset;
    private const int RootOffset = MapHeader.ControlOffset + 4;
    private const int CountOffset = MapHeader.ControlOffset + 8;
    private const int FreeHeadOffset = MapHeader.ControlOffset + 12;
    private const int NodeHeaderBytes = 16;
    private const uint FlagIntermediate = 1;
    private const int None = -1;

    /// <summary>LPM_DATA_SIZE_MAX.</summary>
    public const int MaxDataBytes = 256;

    private readonly byte* _nodes;
    private readonly int _dataSize;
    private readonly uint _maxPrefixLength;
    private readonly int _valueOffset;
    private readonly int _nodeStride;
    private readonly int _capacity;

    internal LpmTrieMap(MapDefinition definition, MapMemory memory, bool initialise)
        : base(definition, memory)
    {
        _dataSize = (int)definition.KeySize - 4;
        _maxPrefixLength = (uint)_dataSize * 8;
        _valueOffset = NodeHeaderBytes + ((_dataSize + 7) & ~7);
        _nodeStride = NodeStride(definition);
        _capacity = Capacity(definition);
        _nodes = memory.Base + MapHeader.DataOffset;
        if (initialise)
        {
            *Root = None;
            for (int i = 0; i < _capacity; i++)
            {
                *Child(Node(i), 0) = i + 1 < _capacity ? i + 1 : None; // free list through child[0]
            }
            *FreeHead = 0;
        }
    }

    public int Count => Volatile.Read(ref *(int*)(Memory.Base + CountOffset));

    private static int Capacity(MapDefinition definition) => (int)definition.MaxEntries * 2 + 1;

    private static int NodeStride(MapDefinition definition) =>
        NodeHeaderBytes + (((int)definition.KeySize - 4 + 7) & ~7) + definition.ValueStride;

    internal static long RegionBytes(MapDefinition definition) =>
        MapHeader.DataOffset + ArrayMap.RoundToPage((long)Capacity(definition) * NodeStride(definition));

    private int* Root => (int*)(Memory.Base + RootOffset);

    private int* FreeHead => (int*)(Memory.Base + FreeHeadOffset);

    private int* LockWord => (int*)(Memory.Base + LockOffset);

    /// <summary>trie_lookup_elem: the value of the longest prefix matching the key, or null.</summary>
    public override byte* Lookup(byte* key)
    {
        uint keyPrefix = *(uint*)key;
        byte* keyData = key + 4;
        byte* found = null;
        int index = Volatile.Read(ref *Root);
        for (uint steps = 0; index != None && steps <= _maxPrefixLength + 1; steps++)
        {
            if ((uint)index >= (uint)_capacity)
            {
                return null;
            }
            byte* node = Node(index);
            uint nodePrefix = *PrefixLength(node);
            if (nodePrefix > _maxPrefixLength)
            {
                return null;
            }
            uint match = LongestPrefixMatch(node, keyData, keyPrefix);
            if (match == _maxPrefixLength)
            {
                found = node;
                break;
            }
            if (match < nodePrefix)
            {
                break;
            }
            if ((*NodeFlags(node) & FlagIntermediate) == 0)
            {
                found = node;
            }
            index = Volatile.Read(ref *Child(node, ExtractBit(keyData, nodePrefix)));
        }
        return found == null ? null : found + _valueOffset;
    }

    /// <summary>trie_update_elem.</summary>
    public override int Update(byte* key, byte* value, ulong flags)
    {
        if (flags > BpfUpdateFlags.Exist)
        {
            return BpfErrno.Invalid;
        }
        uint keyPrefix = *(uint*)key;
        if (keyPrefix > _maxPrefixLength)
        {
            return BpfErrno.Invalid;
        }
        byte* keyData = key + 4;
        SharedSpinLock.Enter(LockWord);
        try
        {
            int* slot = Root;
            int current = *slot;
            uint match = 0;
            for (uint steps = 0; current != None; steps++)
            {
                if ((uint)current >= (uint)_capacity || steps > _maxPrefixLength + 1)
                {
                    return BpfErrno.Invalid; // corrupt trie
                }
                byte* node = Node(current);
                match = LongestPrefixMatch(node, keyData, keyPrefix);
                uint nodePrefix = *PrefixLength(node);
                if (nodePrefix != match || nodePrefix == keyPrefix || nodePrefix == _maxPrefixLength)
                {
                    break;
                }
                slot = Child(node, ExtractBit(keyData, nodePrefix));
                current = *slot;
            }

            bool replacesRealNode = current != None && *PrefixLength(Node(current)) == match && match == keyPrefix
                && (*NodeFlags(Node(current)) & FlagIntermediate) == 0;
            if (replacesRealNode ? flags == BpfUpdateFlags.NoExist : flags == BpfUpdateFlags.Exist)
            {
                return replacesRealNode ? BpfErrno.Exists : BpfErrno.NoEntry;
            }
            if (!replacesRealNode && Count >= (int)MaxEntries)
            {
                return BpfErrno.NoSpace;
            }
            int fresh = Allocate();
            if (fresh == None)
            {
                return BpfErrno.NoSpace;
            }
            byte* newNode = Node(fresh);
            InitNode(newNode, keyPrefix, keyData, 0);
            Unsafe.CopyBlockUnaligned(newNode + _valueOffset, value, ValueSize);

            if (current == None)
            {
                Volatile.Write(ref *slot, fresh);
                AddCount(1);
                return 0;
            }
            byte* existing = Node(current);
            if (*PrefixLength(existing) == match && match == keyPrefix)
            {
                // Same prefix: the new node takes the old one's place and children.
                *Child(newNode, 0) = *Child(existing, 0);
                *Child(newNode, 1) = *Child(existing, 1);
                if ((*NodeFlags(existing) & FlagIntermediate) != 0)
                {
                    AddCount(1);
                }
                Volatile.Write(ref *slot, fresh);
                Free(current);
                return 0;
            }
            if (match == keyPrefix)
            {
                // The new prefix covers the existing node: it goes above it.
                *Child(newNode, ExtractBit(NodeData(existing), match)) = current;
                Volatile.Write(ref *slot, fresh);
                AddCount(1);
                return 0;
            }
            int intermediate = Allocate();
            if (intermediate == None)
            {
                Free(fresh);
                return BpfErrno.NoSpace;
            }
            byte* im = Node(intermediate);
            InitNode(im, match, NodeData(existing), FlagIntermediate);
            if (ExtractBit(keyData, match) != 0)
            {
                *Child(im, 0) = current;
                *Child(im, 1) = fresh;
            }
            else
            {
                *Child(im, 0) = fresh;
                *Child(im, 1) = current;
            }
            Volatile.Write(ref *slot, intermediate);
            AddCount(1);
            return 0;
        }
        finally
        {
            SharedSpinLock.Exit(LockWord);
        }
    }

    /// <summary>trie_delete_elem: exact prefix only; intermediate nodes left without purpose are removed.</summary>
    public override int Delete(byte* key)
    {
        uint keyPrefix = *(uint*)key;
        if (keyPrefix > _maxPrefixLength)
        {
            return BpfErrno.Invalid;
        }
        byte* keyData = key + 4;
        SharedSpinLock.Enter(LockWord);
        try
        {
            int* trim = Root;
            int* trim2 = trim;
            int parent = None;
            int current = *trim;
            uint match = 0;
            for (uint steps = 0; current != None; steps++)
            {
                if ((uint)current >= (uint)_capacity || steps > _maxPrefixLength + 1)
                {
                    return BpfErrno.Invalid;
                }
                byte* node = Node(current);
                match = LongestPrefixMatch(node, keyData, keyPrefix);
                uint nodePrefix = *PrefixLength(node);
                if (nodePrefix != match || nodePrefix == keyPrefix)
                {
                    break;
                }
                parent = current;
                trim2 = trim;
                trim = Child(node, ExtractBit(keyData, nodePrefix));
                current = *trim;
            }
            if (current == None)
            {
                return BpfErrno.NoEntry;
            }
            byte* target = Node(current);
            if (*PrefixLength(target) != keyPrefix || *PrefixLength(target) != match
                || (*NodeFlags(target) & FlagIntermediate) != 0)
            {
                return BpfErrno.NoEntry;
            }
            AddCount(-1);
            int left = *Child(target, 0);
            int right = *Child(target, 1);
            if (left != None && right != None)
            {
                // Two children: the node stays as an intermediate (replaced, so readers see a whole node).
                int replacement = Allocate();
                if (replacement == None)
                {
                    Volatile.Write(ref *NodeFlags(target), *NodeFlags(target) | FlagIntermediate);
                    return 0;
                }
                byte* im = Node(replacement);
                InitNode(im, *PrefixLength(target), NodeData(target), FlagIntermediate);
                *Child(im, 0) = left;
                *Child(im, 1) = right;
                Volatile.Write(ref *trim, replacement);
                Free(current);
                return 0;
            }
            if (parent != None && (*NodeFlags(Node(parent)) & FlagIntermediate) != 0 && left == None && right == None)
            {
                // A leaf under an intermediate: the intermediate goes too, its other child moves up.
                byte* parentNode = Node(parent);
                int sibling = *Child(parentNode, 0) == current ? *Child(parentNode, 1) : *Child(parentNode, 0);
                Volatile.Write(ref *trim2, sibling);
                Free(parent);
                Free(current);
                return 0;
            }
            Volatile.Write(ref *trim, left != None ? left : right);
            Free(current);
            return 0;
        }
        finally
        {
            SharedSpinLock.Exit(LockWord);
        }
    }

    private protected override int UserGetNextKey(byte* key, byte* nextKey)
    {
        // Post-order, as trie_get_next_key walks: more specific prefixes before the prefixes that cover them.
        var order = new List<int>();
        SharedSpinLock.Enter(LockWord);
        try
        {
            CollectPostOrder(*Root, order, 0);
        }
        finally
        {
            SharedSpinLock.Exit(LockWord);
        }
        int position = 0;
        if (key != null)
        {
            int at = order.FindIndex(index => SameKey(Node(index), key));
            position = at < 0 ? 0 : at + 1;
        }
        if (position >= order.Count)
        {
            return BpfErrno.NoEntry;
        }
        byte* node = Node(order[position]);
        *(uint*)nextKey = *PrefixLength(node);
        Unsafe.CopyBlockUnaligned(nextKey + 4, NodeData(node), (uint)_dataSize);
        return 0;
    }

    private void CollectPostOrder(int index, List<int> order, int depth)
    {
        if (index == None || (uint)index >= (uint)_capacity || depth > _maxPrefixLength + 1)
        {
            return;
        }
        byte* node = Node(index);
        CollectPostOrder(*Child(node, 0), order, depth + 1);
        CollectPostOrder(*Child(node, 1), order, depth + 1);
        if ((*NodeFlags(node) & FlagIntermediate) == 0)
        {
            order.Add(index);
        }
    }

    private bool SameKey(byte* node, byte* key) =>
        *PrefixLength(node) == *(uint*)key
        && new ReadOnlySpan<byte>(NodeData(node), _dataSize).SequenceEqual(new ReadOnlySpan<byte>(key + 4, _dataSize));

    /// <summary>
    /// __longest_prefix_match: leading bits equal between node and key, at most min of both prefixes. Compares 8,
    /// then 4, then 1 bytes at a time in network order, as the kernel's fast paths do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint LongestPrefixMatch(byte* node, byte* keyData, uint keyPrefix)
    {
        uint limit = Math.Min(*PrefixLength(node), keyPrefix);
        byte* data = NodeData(node);
        uint prefix = 0;
        int i = 0;
        for (; i + 8 <= _dataSize; i += 8)
        {
            ulong difference = BinaryPrimitives.ReadUInt64BigEndian(new ReadOnlySpan<byte>(data + i, 8))
                ^ BinaryPrimitives.ReadUInt64BigEndian(new ReadOnlySpan<byte>(keyData + i, 8));
            if (difference != 0)
            {
                return Math.Min(prefix + (uint)BitOperations.LeadingZeroCount(difference), limit);
            }
            prefix += 64;
            if (prefix >= limit)
            {
                return limit;
            }
        }
        if (i + 4 <= _dataSize)
        {
            uint difference = BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(data + i, 4))
                ^ BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(keyData + i, 4));
            if (difference != 0)
            {
                return Math.Min(prefix + (uint)BitOperations.LeadingZeroCount(difference), limit);
            }
            prefix += 32;
            if (prefix >= limit)
            {
                return limit;
            }
            i += 4;
        }
        for (; i < _dataSize; i++)
        {
            uint difference = (uint)(data[i] ^ keyData[i]);
            if (difference != 0)
            {
                return Math.Min(prefix + (uint)BitOperations.LeadingZeroCount(difference) - 24, limit);
            }
            prefix += 8;
            if (prefix >= limit)
            {
                return limit;
            }
        }
        return Math.Min(prefix, limit);
    }

    private static int ExtractBit(byte* data, uint index) => (data[index / 8] >> (int)(7 - index % 8)) & 1;

    private void InitNode(byte* node, uint prefixLength, byte* data, uint flags)
    {
        *Child(node, 0) = None;
        *Child(node, 1) = None;
        *PrefixLength(node) = prefixLength;
        *NodeFlags(node) = flags;
        Unsafe.CopyBlockUnaligned(NodeData(node), data, (uint)_dataSize);
    }

    private int Allocate()
    {
        int index = *FreeHead;
        if (index == None || (uint)index >= (uint)_capacity)
        {
            return None;
        }
        *FreeHead = *Child(Node(index), 0);
        return index;
    }

    private void Free(int index)
    {
        // Readers may still stand on the node: its children stay until it is reused; the free link is child[0]'s
        // slot, which readers only follow to a node of the same trie, bounded and range-checked.
        *Child(Node(index), 0) = *FreeHead;
        *FreeHead = index;
    }

    private void AddCount(int delta) => Interlocked.Add(ref *(int*)(Memory.Base + CountOffset), delta);

    private byte* Node(int index) => _nodes + (long)index * _nodeStride;

    private static int* Child(byte* node, int which) => (int*)node + which;

    private static uint* PrefixLength(byte* node) => (uint*)(node + 8);

    private static uint* NodeFlags(byte* node) => (uint*)(node + 12);

    private static byte* NodeData(byte* node) => node + NodeHeaderBytes;
}
