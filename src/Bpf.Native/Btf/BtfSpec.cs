using System.Buffers.Binary;
using Bpf.Native.Elf;

namespace Bpf.Native.Btf;

/// <summary>
/// Type information from an object's .BTF section (Documentation/bpf/btf.rst): the types by id (id 0 is void) and
/// their names. Parsing is hardened like <see cref="ElfReader"/>: every count and offset is checked and bad input
/// raises <see cref="ElfFormatException"/>. Used for libbpf's BTF-defined maps (.maps) and kept on map specs.
/// </summary>
public sealed class BtfSpec
{
    public const ushort Magic = 0xeb9f;
    private const int HeaderBytes = 24;
    private const int TypeHeaderBytes = 12;

    /// <summary>Modifier chains and nested arrays longer than this are treated as cycles.</summary>
    private const int MaxResolveDepth = 32;

    private readonly BtfType[] _types;

    private BtfSpec(BtfType[] types)
    {
        _types = types;
    }

    /// <summary>Types by id; entry 0 is void.</summary>
    public IReadOnlyList<BtfType> Types => _types;

    public static BtfSpec Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderBytes)
        {
            throw new ElfFormatException($"BTF: {data.Length} bytes is shorter than the BTF header");
        }
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(data);
        if (magic != Magic)
        {
            throw new ElfFormatException(magic == 0x9feb
                ? "BTF: big-endian BTF is not supported"
                : $"BTF: bad magic 0x{magic:x4}");
        }
        if (data[2] != 1)
        {
            throw new ElfFormatException($"BTF: unsupported version {data[2]}");
        }
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        uint typeOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        uint typeLength = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        uint stringOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[16..]);
        uint stringLength = BinaryPrimitives.ReadUInt32LittleEndian(data[20..]);
        if (headerLength < HeaderBytes || headerLength > (uint)data.Length)
        {
            throw new ElfFormatException($"BTF: header length {headerLength} is out of range");
        }
        ReadOnlySpan<byte> body = data[(int)headerLength..];
        ReadOnlySpan<byte> types = Slice(body, typeOffset, typeLength, "type section");
        ReadOnlySpan<byte> strings = Slice(body, stringOffset, stringLength, "string section");
        if (strings.Length == 0 || strings[0] != 0)
        {
            throw new ElfFormatException("BTF: the string section must start with an empty string");
        }

        var parsed = new List<BtfType> { new(0, BtfKind.Void, "", false, 0, EquatableArray<BtfMember>.Empty) };
        int position = 0;
        while (position < types.Length)
        {
            parsed.Add(ReadType(types, ref position, parsed.Count, strings));
        }
        var spec = new BtfSpec([.. parsed]);
        spec.CheckReferences();
        return spec;
    }

    public BtfType Type(int id, string what)
    {
        if ((uint)id >= (uint)_types.Length)
        {
            throw new ElfFormatException($"BTF: {what} refers to type {id}, but there are {_types.Length} types");
        }
        return _types[id];
    }

    /// <summary>The first type with this kind and name, or null.</summary>
    public BtfType? Find(BtfKind kind, string name)
    {
        foreach (BtfType type in _types)
        {
            if (type.Kind == kind && type.Name == name)
            {
                return type;
            }
        }
        return null;
    }

    /// <summary>Follows typedefs, modifiers (const, volatile, restrict) and type tags to the type underneath.</summary>
    public BtfType SkipModifiers(int id, string what)
    {
        BtfType type = Type(id, what);
        for (int depth = 0; depth < MaxResolveDepth; depth++)
        {
            if (type.Kind is not (BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                or BtfKind.TypeTag))
            {
                return type;
            }
            type = Type(type.ReferencedType, what);
        }
        throw new ElfFormatException($"BTF: {what}: type chain from {id} is too long or cyclic");
    }

    /// <summary>The size in bytes of a type, as the kernel's btf_type_size/btf_resolve_size computes it.</summary>
    public long SizeOf(int id, string what)
    {
        long multiplier = 1;
        for (int depth = 0; depth < MaxResolveDepth; depth++)
        {
            BtfType type = SkipModifiers(id, what);
            switch (type.Kind)
            {
                case BtfKind.Int or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Struct or BtfKind.Union
                    or BtfKind.DataSection or BtfKind.Float:
                    return CheckedSize(multiplier * type.SizeOrType, what);
                case BtfKind.Pointer:
                    return CheckedSize(multiplier * 8, what);
                case BtfKind.Array:
                    multiplier = CheckedSize(multiplier * type.ArrayLength, what);
                    id = type.ArrayElementType;
                    continue;
                case BtfKind.Variable:
                    id = type.ReferencedType;
                    continue;
                default:
                    throw new ElfFormatException($"BTF: {what}: type {type.Id} ({type.Kind}) has no size");
            }
        }
        throw new ElfFormatException($"BTF: {what}: type {id} nests too deeply");
    }

    private static long CheckedSize(long size, string what)
    {
        if (size > uint.MaxValue)
        {
            throw new ElfFormatException($"BTF: {what}: size {size} is out of range");
        }
        return size;
    }

    private void CheckReferences()
    {
        foreach (BtfType type in _types)
        {
            switch (type.Kind)
            {
                case BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                    or BtfKind.Function or BtfKind.Variable or BtfKind.DeclarationTag or BtfKind.TypeTag
                    or BtfKind.FunctionPrototype:
                    Type(type.ReferencedType, $"type {type.Id}");
                    break;
                case BtfKind.Array:
                    Type(type.ArrayElementType, $"array type {type.Id}");
                    Type(type.ArrayIndexType, $"array type {type.Id}");
                    break;
            }
            if (type.Kind is BtfKind.Struct or BtfKind.Union or BtfKind.FunctionPrototype or BtfKind.DataSection)
            {
                foreach (BtfMember member in type.Members)
                {
                    Type(member.Type, $"member '{member.Name}' of type {type.Id}");
                }
            }
        }
    }

    private static BtfType ReadType(ReadOnlySpan<byte> types, ref int position, int id, ReadOnlySpan<byte> strings)
    {
        ReadOnlySpan<byte> header = Slice(types, (uint)position, TypeHeaderBytes, $"type {id}");
        uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(header);
        uint info = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        uint sizeOrType = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        int vlen = (int)(info & 0xffff);
        var kind = (BtfKind)((info >> 24) & 0x1f);
        bool kindFlag = (info >> 31) != 0;
        string name = ElfReader.ReadString(strings, nameOffset, $"BTF type {id} name");
        position += TypeHeaderBytes;

        int memberBytes = kind switch
        {
            BtfKind.Struct or BtfKind.Union or BtfKind.DataSection or BtfKind.Enum64 => 12,
            BtfKind.Enum or BtfKind.FunctionPrototype => 8,
            _ => 0,
        };
        switch (kind)
        {
            case BtfKind.Int or BtfKind.Variable or BtfKind.DeclarationTag:
            {
                uint extra = BinaryPrimitives.ReadUInt32LittleEndian(Slice(types, (uint)position, 4, $"type {id}"));
                position += 4;
                return new BtfType(id, kind, name, kindFlag, sizeOrType, EquatableArray<BtfMember>.Empty, Extra: extra);
            }
            case BtfKind.Array:
            {
                ReadOnlySpan<byte> array = Slice(types, (uint)position, 12, $"array type {id}");
                position += 12;
                return new BtfType(id, kind, name, kindFlag, sizeOrType, EquatableArray<BtfMember>.Empty,
                    ToTypeId(BinaryPrimitives.ReadUInt32LittleEndian(array), id),
                    ToTypeId(BinaryPrimitives.ReadUInt32LittleEndian(array[4..]), id),
                    BinaryPrimitives.ReadUInt32LittleEndian(array[8..]));
            }
            case BtfKind.Pointer or BtfKind.Forward or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
                or BtfKind.Restrict or BtfKind.Function or BtfKind.Float or BtfKind.TypeTag:
                return new BtfType(id, kind, name, kindFlag, sizeOrType, EquatableArray<BtfMember>.Empty);
            case BtfKind.Struct or BtfKind.Union or BtfKind.DataSection or BtfKind.Enum or BtfKind.Enum64
                or BtfKind.FunctionPrototype:
            {
                ReadOnlySpan<byte> list = Slice(types, (uint)position, (uint)(vlen * memberBytes), $"member list of type {id}");
                position += vlen * memberBytes;
                var members = new BtfMember[vlen];
                for (int i = 0; i < vlen; i++)
                {
                    ReadOnlySpan<byte> m = list.Slice(i * memberBytes, memberBytes);
                    uint a = BinaryPrimitives.ReadUInt32LittleEndian(m);
                    uint b = BinaryPrimitives.ReadUInt32LittleEndian(m[4..]);
                    members[i] = kind switch
                    {
                        BtfKind.DataSection => new BtfMember("", ToTypeId(a, id), b,
                            BinaryPrimitives.ReadUInt32LittleEndian(m[8..]), 0),
                        BtfKind.Enum => new BtfMember(ElfReader.ReadString(strings, a, $"BTF enum {id}"), 0, 0, 0, (int)b),
                        BtfKind.Enum64 => new BtfMember(ElfReader.ReadString(strings, a, $"BTF enum {id}"), 0, 0, 0,
                            (long)(((ulong)BinaryPrimitives.ReadUInt32LittleEndian(m[8..]) << 32) | b)),
                        BtfKind.FunctionPrototype => new BtfMember(ElfReader.ReadString(strings, a, $"BTF func proto {id}"),
                            ToTypeId(b, id), 0, 0, 0),
                        _ => new BtfMember(ElfReader.ReadString(strings, a, $"BTF member of type {id}"), ToTypeId(b, id),
                            BinaryPrimitives.ReadUInt32LittleEndian(m[8..]), 0, 0),
                    };
                }
                return new BtfType(id, kind, name, kindFlag, sizeOrType, new EquatableArray<BtfMember>([.. members]));
            }
            default:
                throw new ElfFormatException($"BTF: type {id} has unknown kind {(int)kind}");
        }
    }

    private static int ToTypeId(uint value, int owner)
    {
        if (value > int.MaxValue)
        {
            throw new ElfFormatException($"BTF: type {owner} refers to type id {value}, which is out of range");
        }
        return (int)value;
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, uint offset, uint length, string what)
    {
        if (offset > (uint)data.Length || length > (uint)data.Length - offset)
        {
            throw new ElfFormatException(
                $"BTF: {what} at offset {offset} with length {length} is outside the {data.Length}-byte section");
        }
        return data.Slice((int)offset, (int)length);
    }
}
