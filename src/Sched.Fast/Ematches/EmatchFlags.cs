namespace Sched.Fast.Ematches;

/// <summary>tcf_ematch_hdr flags and kinds (include/uapi/linux/pkt_cls.h).</summary>
public static class EmatchFlags
{
    public const ushort RelEnd = 0;     // TCF_EM_REL_END
    public const ushort RelAnd = 1;     // TCF_EM_REL_AND
    public const ushort RelOr = 2;      // TCF_EM_REL_OR
    public const ushort RelMask = 3;    // TCF_EM_REL_MASK
    public const ushort Invert = 4;     // TCF_EM_INVERT
    public const ushort Simple = 8;     // TCF_EM_SIMPLE

    /// <summary>TCF_EM_CONTAINER: the kind of an entry that refers to a sub-sequence.</summary>
    public const ushort Container = 0;

    /// <summary>TCF_EM_PROG_TC: the tree header's program id tc sends.</summary>
    public const ushort ProgTc = 1;

    public const int LayerLink = 0;       // TCF_LAYER_LINK
    public const int LayerNetwork = 1;    // TCF_LAYER_NETWORK
    public const int LayerTransport = 2;  // TCF_LAYER_TRANSPORT
    public const int LayerMax = 2;        // TCF_LAYER_MAX

    public const int OpndEq = 0;  // TCF_EM_OPND_EQ
    public const int OpndGt = 1;  // TCF_EM_OPND_GT
    public const int OpndLt = 2;  // TCF_EM_OPND_LT

    /// <summary>TCF_EM_REL_VALID(): AND|OR together is not a relation.</summary>
    public static bool IsValidRelation(ushort flags) => (flags & RelMask) != RelMask;
}
