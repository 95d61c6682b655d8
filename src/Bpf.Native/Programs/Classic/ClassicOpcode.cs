namespace Bpf.Native.Programs.Classic;

/// <summary>Classic BPF opcode fields (include/uapi/linux/filter.h, bpf_common.h) and the ancillary offsets.</summary>
public static class ClassicOpcode
{
    // Classes.
    public const ushort Ld = 0x00, Ldx = 0x01, St = 0x02, Stx = 0x03, Alu = 0x04, Jmp = 0x05, Ret = 0x06, Misc = 0x07;

    // Sizes and modes of loads.
    public const ushort W = 0x00, H = 0x08, B = 0x10;
    public const ushort Imm = 0x00, Abs = 0x20, Ind = 0x40, Mem = 0x60, Len = 0x80, Msh = 0xa0;

    // ALU and jump operations, operand source.
    public const ushort Add = 0x00, Sub = 0x10, Mul = 0x20, Div = 0x30, Or = 0x40, And = 0x50, Lsh = 0x60,
        Rsh = 0x70, Neg = 0x80, Mod = 0x90, Xor = 0xa0;
    public const ushort Ja = 0x00, Jeq = 0x10, Jgt = 0x20, Jge = 0x30, Jset = 0x40;
    public const ushort K = 0x00, X = 0x08;

    // Return value source and misc operations.
    public const ushort RetA = 0x10;
    public const ushort Tax = 0x00, Txa = 0x80;

    /// <summary>BPF_MAXINSNS: the longest classic program.</summary>
    public const int MaxInstructions = 4096;

    /// <summary>BPF_MEMWORDS: scratch memory cells M[0..15].</summary>
    public const int MemoryWords = 16;

    /// <summary>SKF_AD_OFF: loads at this offset and above read skb fields instead of packet bytes.</summary>
    public const int AncillaryBase = -0x1000;

    public const int AdProtocol = 0, AdPacketType = 4, AdIfIndex = 8, AdNlattr = 12, AdNlattrNest = 16, AdMark = 20,
        AdQueue = 24, AdHardwareType = 28, AdRxHash = 32, AdCpu = 36, AdAluXorX = 40, AdVlanTag = 44,
        AdVlanTagPresent = 48, AdPayloadOffset = 52, AdRandom = 56, AdVlanTpid = 60;

    public static ushort Class(ushort code) => (ushort)(code & 0x07);
    public static ushort Size(ushort code) => (ushort)(code & 0x18);
    public static ushort Mode(ushort code) => (ushort)(code & 0xe0);
    public static ushort Op(ushort code) => (ushort)(code & 0xf0);
    public static ushort Source(ushort code) => (ushort)(code & 0x08);
    public static ushort ReturnSource(ushort code) => (ushort)(code & 0x18);
    public static ushort MiscOp(ushort code) => (ushort)(code & 0xf8);
}
