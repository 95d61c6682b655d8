namespace Sched.Fast.Ematches.Meta;

/// <summary>
/// One side of a meta comparison (struct tcf_meta_val plus its TCA_EM_META_*VALUE attribute): kind = type &lt;&lt; 12
/// | id, shift, the operator (left side only), and the attribute: a 32-bit integer (a value, or an id's mask) or
/// bytes (a quoted value), absent when tc sent none.
/// </summary>
public sealed record MetaOperand(ushort Kind, byte Shift, byte Op, uint? IntValue, string? VarValue)
{
    public const int TypeVar = 0;  // TCF_META_TYPE_VAR
    public const int TypeInt = 1;  // TCF_META_TYPE_INT
    public const int IdValue = 0;  // TCF_META_ID_VALUE

    /// <summary>TCF_META_TYPE().</summary>
    public int Type => (Kind >> 12) & 0xF;

    /// <summary>TCF_META_ID().</summary>
    public int Id => Kind & 0x7FF;

    public static ushort MakeKind(int type, int id) => (ushort)((type << 12) | id);
}
