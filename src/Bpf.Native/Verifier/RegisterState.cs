using Bpf.Native.Maps;

namespace Bpf.Native.Verifier;

/// <summary>
/// What the verifier knows about one register (the kernel's struct bpf_reg_state): its kind, for pointers the fixed
/// offset, packet range, map or memory size and frame, identities for null checks, packet range sharing and linked
/// scalars, and for every kind the possible values of the variable part as a tnum and as signed and unsigned 64-
/// and 32-bit ranges. A mutable struct: copying a state copies it.
/// </summary>
internal struct RegisterState
{
    public RegisterKind Kind;

    /// <summary>PTR_MAYBE_NULL: a pointer that may be 0 until a null check.</summary>
    public bool MaybeNull;

    /// <summary>MEM_RINGBUF: memory from bpf_ringbuf_reserve.</summary>
    public bool RingBuffer;

    /// <summary>Fixed offset of a pointer; for a scalar with <see cref="AddConst"/>, the constant added since the link.</summary>
    public int Off;

    /// <summary>Packet pointers: bytes known to be in the packet from the pointer's variable part (r=).</summary>
    public int Range;

    /// <summary>PTR_TO_MEM: bytes the pointer may access.</summary>
    public uint MemSize;

    /// <summary>Identity shared by copies (null checks, packet range, linked scalars); 0 = none.</summary>
    public int Id;

    /// <summary>BPF_ADD_CONST: this scalar is a linked register plus <see cref="Off"/>.</summary>
    public bool AddConst;

    /// <summary>
    /// A scalar whose exact range matters to some later decision (set on checkpoints by precision backtracking);
    /// an imprecise scalar in an old state matches any scalar when states are compared.
    /// </summary>
    public bool Precise;

    /// <summary>The reference (acquired object) this pointer holds; 0 = none.</summary>
    public int RefObjId;

    /// <summary>PTR_TO_STACK: the frame the pointer points into.</summary>
    public int FrameNo;

    /// <summary>CONST_PTR_TO_MAP / PTR_TO_MAP_VALUE: the map's shape (for an inner map of a map-in-map, the template).</summary>
    public MapDefinition? Map;

    /// <summary>The live map when it is known (lddw), for read-only contents.</summary>
    public BpfMap? MapObject;

    public Tnum VarOff;
    public long SMin;
    public long SMax;
    public ulong UMin;
    public ulong UMax;
    public int S32Min;
    public int S32Max;
    public uint U32Min;
    public uint U32Max;

    public readonly bool IsScalar => Kind == RegisterKind.Scalar;

    public readonly bool IsPointer => Kind is not (RegisterKind.Scalar or RegisterKind.NotInit);

    public readonly bool IsPacketPointer => Kind is RegisterKind.Packet or RegisterKind.PacketMeta;

    public readonly bool IsAnyPacketPointer => Kind is RegisterKind.Packet or RegisterKind.PacketMeta or RegisterKind.PacketEnd;

    /// <summary>register_is_null: a scalar known to be 0.</summary>
    public readonly bool IsNull => Kind == RegisterKind.Scalar && VarOff.IsConst && VarOff.Value == 0;

    public readonly bool IsConst(bool is32) => Kind == RegisterKind.Scalar && (is32 ? VarOff.SubregIsConst : VarOff.IsConst);

    public readonly ulong ConstValue(bool is32) => is32 ? (uint)VarOff.Value : VarOff.Value;

    public static RegisterState NotInitialized => default;

    public static RegisterState UnknownScalar()
    {
        var reg = new RegisterState { Kind = RegisterKind.Scalar, VarOff = Tnum.Unknown };
        reg.MarkUnbounded();
        return reg;
    }

    public static RegisterState KnownScalar(ulong value)
    {
        var reg = new RegisterState { Kind = RegisterKind.Scalar };
        reg.SetKnown(value);
        return reg;
    }

    /// <summary>__mark_reg_known: clears everything but the kind, then the value is exactly <paramref name="value"/>.</summary>
    public void MarkKnown(ulong value)
    {
        var kind = Kind;
        var maybeNull = MaybeNull;
        var ring = RingBuffer;
        this = default;
        Kind = kind;
        MaybeNull = maybeNull;
        RingBuffer = ring;
        SetKnown(value);
    }

    /// <summary>___mark_reg_known: the variable part is exactly <paramref name="value"/>.</summary>
    public void SetKnown(ulong value)
    {
        VarOff = Tnum.Const(value);
        SMin = SMax = (long)value;
        UMin = UMax = value;
        S32Min = S32Max = (int)value;
        U32Min = U32Max = (uint)value;
    }

    /// <summary>__mark_reg32_known.</summary>
    public void SetKnown32(ulong value)
    {
        VarOff = VarOff.WithSubreg(Tnum.Const(value));
        S32Min = S32Max = (int)value;
        U32Min = U32Max = (uint)value;
    }

    /// <summary>__mark_reg_unknown: an unknown scalar with nothing else.</summary>
    public void MarkUnknown() => this = UnknownScalar();

    public void MarkUnbounded()
    {
        Mark64Unbounded();
        Mark32Unbounded();
    }

    public void Mark64Unbounded()
    {
        SMin = long.MinValue;
        SMax = long.MaxValue;
        UMin = 0;
        UMax = ulong.MaxValue;
    }

    public void Mark32Unbounded()
    {
        S32Min = int.MinValue;
        S32Max = int.MaxValue;
        U32Min = 0;
        U32Max = uint.MaxValue;
    }

    /// <summary>__mark_reg_const_zero.</summary>
    public static RegisterState ConstZero() => KnownScalar(0);

    // ---- reg_bounds_sync and its parts (kernel/bpf/verifier.c) ------------------------------------------------

    /// <summary>reg_bounds_sync: learn ranges from the tnum, signs from ranges, bits from ranges, and again.</summary>
    public void Sync()
    {
        UpdateBounds();
        DeduceBounds();
        DeduceBounds();
        BoundOffset();
        UpdateBounds();
    }

    public void UpdateBounds()
    {
        Update32Bounds();
        Update64Bounds();
    }

    public void Update32Bounds()
    {
        var var32 = VarOff.Subreg;
        S32Min = Math.Max(S32Min, (int)((uint)var32.Value | ((uint)var32.Mask & 0x80000000u)));
        S32Max = Math.Min(S32Max, (int)((uint)var32.Value | ((uint)var32.Mask & 0x7fffffffu)));
        U32Min = Math.Max(U32Min, (uint)var32.Value);
        U32Max = Math.Min(U32Max, (uint)(var32.Value | var32.Mask));
    }

    public void Update64Bounds()
    {
        SMin = Math.Max(SMin, (long)(VarOff.Value | (VarOff.Mask & 0x8000000000000000UL)));
        SMax = Math.Min(SMax, (long)(VarOff.Value | (VarOff.Mask & 0x7fffffffffffffffUL)));
        UMin = Math.Max(UMin, VarOff.Value);
        UMax = Math.Min(UMax, VarOff.Value | VarOff.Mask);
    }

    public void DeduceBounds()
    {
        Deduce32Bounds();
        Deduce64Bounds();
        DeduceMixedBounds();
    }

    private void Deduce32Bounds()
    {
        if (UMin >> 32 == UMax >> 32)
        {
            U32Min = Math.Max(U32Min, (uint)UMin);
            U32Max = Math.Min(U32Max, (uint)UMax);
            if ((int)UMin <= (int)UMax)
            {
                S32Min = Math.Max(S32Min, (int)UMin);
                S32Max = Math.Min(S32Max, (int)UMax);
            }
        }
        if (SMin >> 32 == SMax >> 32)
        {
            if ((uint)SMin <= (uint)SMax)
            {
                U32Min = Math.Max(U32Min, (uint)SMin);
                U32Max = Math.Min(U32Max, (uint)SMax);
            }
            if ((int)SMin <= (int)SMax)
            {
                S32Min = Math.Max(S32Min, (int)SMin);
                S32Max = Math.Min(S32Max, (int)SMax);
            }
        }
        // Upper halves two consecutive numbers while the lower halves cross from negative to positive.
        if ((uint)(UMin >> 32) + 1 == (uint)(UMax >> 32) && (int)UMin < 0 && (int)UMax >= 0)
        {
            S32Min = Math.Max(S32Min, (int)UMin);
            S32Max = Math.Min(S32Max, (int)UMax);
        }
        if ((uint)(SMin >> 32) + 1 == (uint)(SMax >> 32) && (int)SMin < 0 && (int)SMax >= 0)
        {
            S32Min = Math.Max(S32Min, (int)SMin);
            S32Max = Math.Min(S32Max, (int)SMax);
        }
        if ((int)U32Min <= (int)U32Max)
        {
            S32Min = Math.Max(S32Min, (int)U32Min);
            S32Max = Math.Min(S32Max, (int)U32Max);
        }
        if ((uint)S32Min <= (uint)S32Max)
        {
            U32Min = Math.Max((uint)S32Min, U32Min);
            U32Max = Math.Min((uint)S32Max, U32Max);
        }
    }

    private void Deduce64Bounds()
    {
        if ((long)UMin <= (long)UMax)
        {
            SMin = Math.Max(SMin, (long)UMin);
            SMax = Math.Min(SMax, (long)UMax);
        }
        if ((ulong)SMin <= (ulong)SMax)
        {
            UMin = Math.Max((ulong)SMin, UMin);
            UMax = Math.Min((ulong)SMax, UMax);
        }
        else if (UMax < (ulong)SMin)
        {
            // The signed range wraps the unsigned domain; the unsigned range overlaps only its low end.
            SMin = (long)UMin;
            UMax = Math.Min(UMax, (ulong)SMax);
        }
        else if ((ulong)SMax < UMin)
        {
            SMax = (long)UMax;
            UMin = Math.Max(UMin, (ulong)SMin);
        }
    }

    private void DeduceMixedBounds()
    {
        ulong newUMin = (UMin & ~0xffffffffUL) | U32Min;
        ulong newUMax = (UMax & ~0xffffffffUL) | U32Max;
        UMin = Math.Max(UMin, newUMin);
        UMax = Math.Min(UMax, newUMax);
        long newSMin = (long)(((ulong)SMin & ~0xffffffffUL) | U32Min);
        long newSMax = (long)(((ulong)SMax & ~0xffffffffUL) | U32Max);
        SMin = Math.Max(SMin, newSMin);
        SMax = Math.Min(SMax, newSMax);
        // After a sign-extending load the upper bits are all 0s or all 1s.
        if (S32Min >= 0 && SMin >= int.MinValue && SMax <= int.MaxValue)
        {
            SMin = S32Min;
            SMax = S32Max;
            UMin = (ulong)(long)S32Min;
            UMax = (ulong)(long)S32Max;
            VarOff = VarOff.Intersect(Tnum.Range((ulong)SMin, (ulong)SMax));
        }
    }

    /// <summary>__reg_bound_offset: learn bits from the ranges.</summary>
    public void BoundOffset()
    {
        var var64 = VarOff.Intersect(Tnum.Range(UMin, UMax));
        var var32 = var64.Subreg.Intersect(Tnum.Range(U32Min, U32Max));
        VarOff = var64.ClearSubreg | var32;
    }

    /// <summary>True when some range is empty (a branch that cannot be taken).</summary>
    public readonly bool HasInconsistentBounds =>
        SMin > SMax || UMin > UMax || S32Min > S32Max || U32Min > U32Max
        || (VarOff.IsConst && (VarOff.Value < UMin || VarOff.Value > UMax));

    /// <summary>__reg_assign_32_into_64: the 64-bit ranges from the 32-bit ones after zero extension.</summary>
    public void Assign32Into64()
    {
        UMin = U32Min;
        UMax = U32Max;
        if (S32Min >= 0 && S32Max >= 0)
        {
            SMin = S32Min;
            SMax = S32Max;
        }
        else
        {
            SMin = 0;
            SMax = uint.MaxValue;
        }
    }

    /// <summary>zext_32_to_64: a 32-bit result zero-extended.</summary>
    public void ZeroExtend32To64()
    {
        VarOff = VarOff.Subreg;
        Assign32Into64();
    }

    /// <summary>coerce_reg_to_size: keep the low <paramref name="size"/> bytes (zero-extending load or narrowing).</summary>
    public void CoerceToSize(int size)
    {
        VarOff = VarOff.Cast(size);
        ulong mask = size >= 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
        if ((UMin & ~mask) == (UMax & ~mask))
        {
            UMin &= mask;
            UMax &= mask;
        }
        else
        {
            UMin = 0;
            UMax = mask;
        }
        SMin = (long)UMin;
        SMax = (long)UMax;
        if (size < 4)
        {
            Mark32Unbounded();
        }
        Sync();
    }

    private static long SignExtend(ulong value, int size) => size switch
    {
        1 => (sbyte)value,
        2 => (short)value,
        _ => (int)value,
    };

    private void SetSignExtendedDefault(int size)
    {
        (long min, long max) = size switch
        {
            1 => ((long)sbyte.MinValue, (long)sbyte.MaxValue),
            2 => (short.MinValue, short.MaxValue),
            _ => (int.MinValue, int.MaxValue),
        };
        SMin = min;
        S32Min = (int)min;
        SMax = max;
        S32Max = (int)max;
        UMin = 0;
        U32Min = 0;
        UMax = ulong.MaxValue;
        U32Max = uint.MaxValue;
        VarOff = Tnum.Unknown;
    }

    /// <summary>coerce_reg_to_size_sx: sign-extend the low <paramref name="size"/> bytes to 64 bits.</summary>
    public void CoerceToSizeSignExtend(int size)
    {
        if (VarOff.IsConst)
        {
            SetKnown((ulong)SignExtend(VarOff.Value, size));
            return;
        }
        int bits = size * 8;
        ulong topMax = ((ulong)SMax >> bits) << bits;
        ulong topMin = ((ulong)SMin >> bits) << bits;
        if (topMax == topMin)
        {
            long initMax = SignExtend((ulong)SMax, size);
            long initMin = SignExtend((ulong)SMin, size);
            long max = Math.Max(initMax, initMin);
            long min = Math.Min(initMax, initMin);
            if ((max >= 0) == (min >= 0))
            {
                SMin = min;
                S32Min = (int)min;
                SMax = max;
                S32Max = (int)max;
                UMin = (ulong)min;
                U32Min = (uint)min;
                UMax = (ulong)max;
                U32Max = (uint)max;
                VarOff = Tnum.Range((ulong)min, (ulong)max);
                return;
            }
        }
        SetSignExtendedDefault(size);
    }

    /// <summary>coerce_subreg_to_size_sx: sign-extend the low bytes to 32 bits (w1 = (s8)w2).</summary>
    public void CoerceSubregToSizeSignExtend(int size)
    {
        if (VarOff.SubregIsConst)
        {
            uint value = (uint)SignExtend((uint)VarOff.Value, size);
            SetKnown32(value);
            return;
        }
        int bits = size * 8;
        uint topMax = ((uint)S32Max >> bits) << bits;
        uint topMin = ((uint)S32Min >> bits) << bits;
        if (topMax == topMin)
        {
            int initMax = (int)SignExtend((uint)S32Max, size);
            int initMin = (int)SignExtend((uint)S32Min, size);
            int max = Math.Max(initMax, initMin);
            int min = Math.Min(initMax, initMin);
            if ((max >= 0) == (min >= 0))
            {
                S32Min = min;
                S32Max = max;
                U32Min = (uint)min;
                U32Max = (uint)max;
                VarOff = VarOff.WithSubreg(Tnum.Range((uint)min, (uint)max));
                return;
            }
        }
        (int smin, int smax) = size == 1 ? (sbyte.MinValue, (int)sbyte.MaxValue) : (short.MinValue, short.MaxValue);
        S32Min = smin;
        S32Max = smax;
        U32Min = 0;
        U32Max = uint.MaxValue;
        VarOff = VarOff.WithSubreg(Tnum.Unknown);
    }

    /// <summary>get_reg_width: bits the value may need.</summary>
    public readonly int Width => 64 - System.Numerics.BitOperations.LeadingZeroCount(UMax);

    /// <summary>range_within: every value of <paramref name="cur"/> is within this register's ranges.</summary>
    public readonly bool RangeWithin(in RegisterState cur) =>
        SMin <= cur.SMin && cur.SMax <= SMax && UMin <= cur.UMin && cur.UMax <= UMax
        && S32Min <= cur.S32Min && cur.S32Max <= S32Max && U32Min <= cur.U32Min && cur.U32Max <= U32Max;
}
