using System.Runtime.CompilerServices;

namespace Sched.Fast.Time;

/// <summary>
/// A point on a monotonic nanosecond clock. Comparisons subtract first and look at the sign, as the kernel's
/// <c>time_after()</c> and codel's <c>codel_time_after()</c> do, so they stay right across wrap-around provided the
/// two instants are less than 2^63 ns (292 years) apart.
/// </summary>
public readonly record struct TimeNs(long Value) : IComparable<TimeNs>
{
    public static readonly TimeNs Zero = new(0);

    /// <summary>"No wake-up needed": the answer of <c>NextWakeup</c> when a qdisc holds nothing it must wait for.</summary>
    public static readonly TimeNs Never = new(long.MaxValue);

    public const long NsPerUs = 1_000;
    public const long NsPerMs = 1_000_000;
    public const long NsPerSecond = 1_000_000_000;

    public bool IsNever => Value == long.MaxValue;

    public static TimeNs FromMicroseconds(long us) => new(us * NsPerUs);
    public static TimeNs FromMilliseconds(long ms) => new(ms * NsPerMs);
    public static TimeNs FromSeconds(double s) => new((long)(s * NsPerSecond));

    public double TotalSeconds => Value / (double)NsPerSecond;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsAfter(TimeNs other) => unchecked(Value - other.Value) > 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsBefore(TimeNs other) => unchecked(Value - other.Value) < 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsAtOrAfter(TimeNs other) => unchecked(Value - other.Value) >= 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsAtOrBefore(TimeNs other) => unchecked(Value - other.Value) <= 0;

    /// <summary>Nanoseconds from <paramref name="earlier"/> to this instant (negative if it is later).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Since(TimeNs earlier) => unchecked(Value - earlier.Value);

    public TimeNs AddNs(long ns) => IsNever ? this : new(unchecked(Value + ns));

    public static TimeNs operator +(TimeNs t, long ns) => t.AddNs(ns);
    public static TimeNs operator -(TimeNs t, long ns) => new(unchecked(t.Value - ns));
    public static long operator -(TimeNs a, TimeNs b) => unchecked(a.Value - b.Value);
    public static bool operator <(TimeNs a, TimeNs b) => a.IsBefore(b);
    public static bool operator >(TimeNs a, TimeNs b) => a.IsAfter(b);
    public static bool operator <=(TimeNs a, TimeNs b) => a.IsAtOrBefore(b);
    public static bool operator >=(TimeNs a, TimeNs b) => a.IsAtOrAfter(b);

    /// <summary>The earlier of two instants; <see cref="Never"/> loses to any real time.</summary>
    public static TimeNs Min(TimeNs a, TimeNs b)
    {
        if (a.IsNever) return b;
        if (b.IsNever) return a;
        return a.IsBefore(b) ? a : b;
    }

    public int CompareTo(TimeNs other)
    {
        if (Value == other.Value) return 0;
        if (IsNever) return 1;
        if (other.IsNever) return -1;
        return IsBefore(other) ? -1 : 1;
    }

    public override string ToString() => IsNever ? "never" : $"{Value}ns";
}
