namespace Sched.Fast.Classifiers.U32;

/// <summary>
/// struct tc_u32_key: a 32-bit word at <see cref="Offset"/> (plus the next-header offset when
/// <see cref="OffMask"/> is set) must equal <see cref="Value"/> under <see cref="Mask"/>. Value and mask are as tc
/// prints them (host order of the big-endian packet word).
/// </summary>
public readonly record struct U32Key(uint Value, uint Mask, int Offset, int OffMask);
