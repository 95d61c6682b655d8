namespace Sched.Fast.Time;

/// <summary>Simulated time: it moves only when told to, so every qdisc test is deterministic.</summary>
public sealed class ManualClock : IClock
{
    public ManualClock(TimeNs start = default) => Now = start;

    public TimeNs Now { get; private set; }

    public void AdvanceNs(long ns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ns);
        Now = Now.AddNs(ns);
    }

    public void Advance(TimeSpan span) => AdvanceNs(span.Ticks * 100);

    /// <summary>Jumps to <paramref name="time"/>; time never runs backwards.</summary>
    public void AdvanceTo(TimeNs time)
    {
        if (time.IsBefore(Now)) throw new ArgumentOutOfRangeException(nameof(time), $"{time} is before now ({Now})");
        Now = time;
    }
}
