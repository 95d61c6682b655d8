using System.Numerics;

namespace Bpf.Native.Verifier;

/// <summary>
/// A tristate number (kernel/bpf/tnum.c): each bit is known 0, known 1 or unknown. <see cref="Value"/> holds the
/// known 1 bits, <see cref="Mask"/> the unknown bits; a bit is never set in both. The verifier tracks every
/// register's possible values as a tnum beside its signed and unsigned ranges.
/// </summary>
internal readonly record struct Tnum(ulong Value, ulong Mask)
{
    public static Tnum Unknown => new(0, ulong.MaxValue);

    public static Tnum Const(ulong value) => new(value, 0);

    public bool IsConst => Mask == 0;

    public bool IsUnknown => Mask == ulong.MaxValue;

    /// <summary>tnum_range: the smallest tnum holding every value in [min, max].</summary>
    public static Tnum Range(ulong min, ulong max)
    {
        ulong chi = min ^ max;
        int bits = chi == 0 ? 0 : 64 - BitOperations.LeadingZeroCount(chi);
        if (bits > 63)
        {
            return Unknown;
        }
        ulong delta = (1UL << bits) - 1;
        return new Tnum(min & ~delta, delta);
    }

    public Tnum LeftShift(int shift) => new(Value << shift, Mask << shift);

    public Tnum RightShift(int shift) => new(Value >> shift, Mask >> shift);

    /// <summary>tnum_arshift: arithmetic shift at 32 or 64 bits (32-bit results are zero-extended).</summary>
    public Tnum ArithmeticRightShift(int shift, int bitness) => bitness == 32
        ? new Tnum((uint)((int)(uint)Value >> shift), (uint)((int)(uint)Mask >> shift))
        : new Tnum((ulong)((long)Value >> shift), (ulong)((long)Mask >> shift));

    public static Tnum operator +(Tnum a, Tnum b)
    {
        ulong sm = a.Mask + b.Mask;
        ulong sv = a.Value + b.Value;
        ulong sigma = sm + sv;
        ulong chi = sigma ^ sv;
        ulong mu = chi | a.Mask | b.Mask;
        return new Tnum(sv & ~mu, mu);
    }

    public static Tnum operator -(Tnum a, Tnum b)
    {
        ulong dv = a.Value - b.Value;
        ulong alpha = dv + a.Mask;
        ulong beta = dv - b.Mask;
        ulong chi = alpha ^ beta;
        ulong mu = chi | a.Mask | b.Mask;
        return new Tnum(dv & ~mu, mu);
    }

    public static Tnum operator &(Tnum a, Tnum b)
    {
        ulong alpha = a.Value | a.Mask;
        ulong beta = b.Value | b.Mask;
        ulong v = a.Value & b.Value;
        return new Tnum(v, alpha & beta & ~v);
    }

    public static Tnum operator |(Tnum a, Tnum b)
    {
        ulong v = a.Value | b.Value;
        ulong mu = a.Mask | b.Mask;
        return new Tnum(v, mu & ~v);
    }

    public static Tnum operator ^(Tnum a, Tnum b)
    {
        ulong v = a.Value ^ b.Value;
        ulong mu = a.Mask | b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    /// <summary>tnum_mul: shift-and-add over the bits of a, certain 1s adding b's mask, unknown bits b's value and mask.</summary>
    public static Tnum operator *(Tnum a, Tnum b)
    {
        ulong accV = a.Value * b.Value;
        var accM = new Tnum(0, 0);
        while (a.Value != 0 || a.Mask != 0)
        {
            if ((a.Value & 1) != 0)
            {
                accM += new Tnum(0, b.Mask);
            }
            else if ((a.Mask & 1) != 0)
            {
                accM += new Tnum(0, b.Value | b.Mask);
            }
            a = a.RightShift(1);
            b = b.LeftShift(1);
        }
        return new Tnum(accV, 0) + accM;
    }

    public Tnum Negate() => Const(0) - this;

    /// <summary>tnum_bswap16/32/64: a byte swap moves known and unknown bits alike (the result keeps only those bytes).</summary>
    public Tnum ByteSwap(int widthBits) => widthBits switch
    {
        16 => new Tnum(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)Value),
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)Mask)),
        32 => new Tnum(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)Value),
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)Mask)),
        _ => new Tnum(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(Value),
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(Mask)),
    };

    /// <summary>tnum_intersect: what both a and b know.</summary>
    public Tnum Intersect(Tnum b)
    {
        ulong v = Value | b.Value;
        ulong mu = Mask & b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    /// <summary>tnum_cast: the low <paramref name="sizeBytes"/> bytes.</summary>
    public Tnum Cast(int sizeBytes)
    {
        ulong keep = sizeBytes >= 8 ? ulong.MaxValue : (1UL << (sizeBytes * 8)) - 1;
        return new Tnum(Value & keep, Mask & keep);
    }

    public bool IsAligned(int sizeBytes) => sizeBytes == 0 || ((Value | Mask) & (ulong)(sizeBytes - 1)) == 0;

    /// <summary>tnum_in: every value <paramref name="b"/> allows, this allows too.</summary>
    public bool Contains(Tnum b)
    {
        if ((b.Mask & ~Mask) != 0)
        {
            return false;
        }
        return Value == (b.Value & ~Mask);
    }

    public Tnum Subreg => Cast(4);

    public Tnum ClearSubreg => RightShift(32).LeftShift(32);

    public Tnum WithSubreg(Tnum subreg) => ClearSubreg | subreg.Subreg;

    public bool SubregIsConst => (uint)Mask == 0;

    /// <summary>tnum_strn: "(0x0; 0xffffffff)", hex with the kernel's 0x even for zero.</summary>
    public override string ToString() => $"(0x{Value:x}; 0x{Mask:x})";
}
