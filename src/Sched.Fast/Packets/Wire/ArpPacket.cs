using System.Buffers.Binary;

namespace Sched.Fast.Packets.Wire;

/// <summary>
/// An ARP packet (RFC 826): hardware and protocol types and address lengths, the operation, and the sender/target
/// addresses, whose positions follow from the two lengths. Accessors for Ethernet/IPv4 addresses are valid when
/// <see cref="IsEthernetIpv4"/>.
/// </summary>
public readonly ref struct ArpPacket
{
    public const int HardwareTypeOffset = 0;
    public const int ProtocolTypeOffset = 2;
    public const int HardwareLengthOffset = 4;
    public const int ProtocolLengthOffset = 5;
    public const int OperationOffset = 6;
    public const int AddressesOffset = 8;
    public const int FixedLength = 8;
    /// <summary>The length of an Ethernet/IPv4 ARP packet.</summary>
    public const int EthernetIpv4Length = 28;

    public const ushort HardwareEthernet = 1;
    public const ushort OperationRequest = 1;
    public const ushort OperationReply = 2;

    private readonly Span<byte> _buffer;

    private ArpPacket(Span<byte> buffer) => _buffer = buffer;

    public static ArpPacket CreateUnchecked(Span<byte> buffer) => new(buffer);

    /// <summary>The fixed part and both address pairs fit.</summary>
    public static bool CheckLength(ReadOnlySpan<byte> buffer) =>
        buffer.Length >= FixedLength &&
        buffer.Length >= FixedLength + 2 * (buffer[HardwareLengthOffset] + buffer[ProtocolLengthOffset]);

    public static bool TryCreate(Span<byte> buffer, out ArpPacket packet)
    {
        packet = new ArpPacket(buffer);
        return CheckLength(buffer);
    }

    public ushort HardwareType
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[HardwareTypeOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[HardwareTypeOffset..], value);
    }

    public ushort ProtocolType
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[ProtocolTypeOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[ProtocolTypeOffset..], value);
    }

    public byte HardwareLength { get => _buffer[HardwareLengthOffset]; set => _buffer[HardwareLengthOffset] = value; }
    public byte ProtocolLength { get => _buffer[ProtocolLengthOffset]; set => _buffer[ProtocolLengthOffset] = value; }

    public ushort Operation
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[OperationOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[OperationOffset..], value);
    }

    public bool IsEthernetIpv4 =>
        HardwareType == HardwareEthernet && ProtocolType == EtherType.Ipv4 && HardwareLength == 6 && ProtocolLength == 4;

    public Span<byte> SenderHardwareAddress => _buffer.Slice(AddressesOffset, HardwareLength);
    public Span<byte> SenderProtocolAddress => _buffer.Slice(AddressesOffset + HardwareLength, ProtocolLength);
    public Span<byte> TargetHardwareAddress => _buffer.Slice(AddressesOffset + HardwareLength + ProtocolLength, HardwareLength);
    public Span<byte> TargetProtocolAddress => _buffer.Slice(AddressesOffset + 2 * HardwareLength + ProtocolLength, ProtocolLength);

    public MacAddress SenderMac { get => MacAddress.Read(SenderHardwareAddress); set => value.Write(SenderHardwareAddress); }
    public MacAddress TargetMac { get => MacAddress.Read(TargetHardwareAddress); set => value.Write(TargetHardwareAddress); }

    public uint SenderIpv4
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(SenderProtocolAddress);
        set => BinaryPrimitives.WriteUInt32BigEndian(SenderProtocolAddress, value);
    }

    public uint TargetIpv4
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(TargetProtocolAddress);
        set => BinaryPrimitives.WriteUInt32BigEndian(TargetProtocolAddress, value);
    }
}
