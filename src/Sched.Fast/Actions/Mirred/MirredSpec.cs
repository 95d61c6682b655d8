namespace Sched.Fast.Actions.Mirred;

/// <summary>mirred's options: struct tc_mirred (eaction, target ifindex, index, verdict, counts).</summary>
public sealed record MirredSpec : ActionSpec
{
    public MirredEAction EAction { get; init; }

    /// <summary>The target device's ifindex (0: none given, or the device went away).</summary>
    public int IfIndex { get; init; }
}
