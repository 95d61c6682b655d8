using Sched.Fast.Tc;

namespace Sched.Fast.Tests.Tc;

/// <summary>strtoul()/strtol() as glibc does them: white space, one sign, base 0 prefixes, wrap and clamp.</summary>
public sealed class CStrtolTests
{
    [Theory]
    [InlineData(" \t-1", 0, ulong.MaxValue, 4)]   // a '-' wraps modulo 2^64
    [InlineData("+0x10z", 0, 16UL, 5)]
    [InlineData("010", 0, 8UL, 3)]               // leading zero: octal
    [InlineData("- 5", 0, 0UL, 0)]               // no digits after the sign: end is the start
    [InlineData("+-5", 0, 0UL, 0)]               // one sign only
    public void Strtoul_skips_space_and_one_sign(string s, int numberBase, ulong expected, int expectedEnd)
    {
        Assert.Equal(expected, CStrtol.Strtoul(s, 0, numberBase, out int end, out bool overflow));
        Assert.Equal(expectedEnd, end);
        Assert.False(overflow);
    }

    [Theory]
    [InlineData("  -12", -12L, false)]
    [InlineData("+12", 12L, false)]
    [InlineData("-9223372036854775808", long.MinValue, false)]
    [InlineData("-9223372036854775809", long.MinValue, true)]
    [InlineData("9223372036854775808", long.MaxValue, true)]
    public void Strtol_clamps_with_overflow(string s, long expected, bool expectedOverflow)
    {
        Assert.Equal(expected, CStrtol.Strtol(s, 0, 10, out int end, out bool overflow));
        Assert.Equal(s.Length, end);
        Assert.Equal(expectedOverflow, overflow);
    }
}
