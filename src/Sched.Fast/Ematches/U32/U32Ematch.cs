namespace Sched.Fast.Ematches.U32;

/// <summary>
/// A struct tc_u32_key used as an ematch: a 32-bit big-endian word at an offset from the network header, masked
/// and compared. <see cref="Value"/> and <see cref="Mask"/> are as tc prints them (host order).
/// </summary>
public sealed record U32Ematch(uint Value, uint Mask, int Offset, int OffMask) : EmatchData;
