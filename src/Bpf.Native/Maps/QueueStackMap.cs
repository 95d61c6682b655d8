using System.Runtime.CompilerServices;

namespace Bpf.Native.Maps;

/// <summary>
/// BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO) (kernel/bpf/queue_stack_maps.c): no keys, a ring of
/// max_entries + 1 value slots with head and tail under one lock. Push on a full map fails with -E2BIG unless
/// BPF_EXIST, which drops the oldest element to make room; pop and peek on an empty map give -ENOENT.
/// </summary>
public sealed unsafe class QueueStackMap : BpfMap
{
    private const int LockOffset = MapHeader.ControlOffset;
    private const int HeadOffset = MapHeader.ControlOffset + 4;
    private const int TailOffset = MapHeader.ControlOffset + 8;

    private readonly byte* _elements;
    private readonly uint _size;
    private readonly bool _stack;

    internal QueueStackMap(MapDefinition definition, MapMemory memory)
        : base(definition, memory)
    {
        _elements = memory.Base + MapHeader.DataOffset;
        _size = definition.MaxEntries + 1;
        _stack = definition.Type == BpfMapType.Stack;
    }

    internal static long RegionBytes(MapDefinition definition) =>
        MapHeader.DataOffset + ArrayMap.RoundToPage(((long)definition.MaxEntries + 1) * definition.ValueSize);

    private int* LockWord => (int*)(Memory.Base + LockOffset);

    private uint* HeadIndex => (uint*)(Memory.Base + HeadOffset);

    private uint* TailIndex => (uint*)(Memory.Base + TailOffset);

    public override byte* Lookup(byte* key) => null;

    public override int Update(byte* key, byte* value, ulong flags) => BpfErrno.Invalid;

    public override int Delete(byte* key) => BpfErrno.Invalid;

    /// <summary>queue_stack_map_push_elem.</summary>
    public override int Push(byte* value, ulong flags)
    {
        if ((flags & BpfUpdateFlags.NoExist) != 0 || flags > BpfUpdateFlags.Exist)
        {
            return BpfErrno.Invalid;
        }
        SharedSpinLock.Enter(LockWord);
        uint head = *HeadIndex % _size;
        uint tail = *TailIndex % _size;
        if ((head + 1) % _size == tail)
        {
            if ((flags & BpfUpdateFlags.Exist) == 0)
            {
                SharedSpinLock.Exit(LockWord);
                return BpfErrno.TooBig;
            }
            *TailIndex = (tail + 1) % _size; // drop the oldest
        }
        Unsafe.CopyBlockUnaligned(_elements + (long)head * ValueSize, value, ValueSize);
        *HeadIndex = (head + 1) % _size;
        SharedSpinLock.Exit(LockWord);
        return 0;
    }

    public override int Pop(byte* value) => Take(value, remove: true);

    public override int Peek(byte* value) => Take(value, remove: false);

    private int Take(byte* value, bool remove)
    {
        SharedSpinLock.Enter(LockWord);
        uint head = *HeadIndex % _size;
        uint tail = *TailIndex % _size;
        if (head == tail)
        {
            SharedSpinLock.Exit(LockWord);
            return BpfErrno.NoEntry;
        }
        uint index;
        if (_stack)
        {
            index = head == 0 ? _size - 1 : head - 1;
            if (remove)
            {
                *HeadIndex = index;
            }
        }
        else
        {
            index = tail;
            if (remove)
            {
                *TailIndex = (tail + 1) % _size;
            }
        }
        Unsafe.CopyBlockUnaligned(value, _elements + (long)index * ValueSize, ValueSize);
        SharedSpinLock.Exit(LockWord);
        return 0;
    }

    // Userspace: lookup = peek, update = push, lookup-and-delete = pop (map_lookup_elem/map_update_elem with no key).
    private protected override int UserLookup(byte* key, byte* value) => Peek(value);

    private protected override int UserUpdate(byte* key, byte* value, ulong flags) => Push(value, flags);

    private protected override int UserLookupAndDelete(byte* key, byte* value) => Pop(value);

    private protected override int UserDelete(byte* key) => BpfErrno.Invalid;

    private protected override int UserGetNextKey(byte* key, byte* nextKey) => BpfErrno.Invalid;
}
