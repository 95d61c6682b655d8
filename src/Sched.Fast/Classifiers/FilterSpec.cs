namespace Sched.Fast.Classifiers;

/// <summary>
/// A filter's options (TCA_OPTIONS) as one immutable value: what a kind's iproute2 parser produces and what its
/// kernel half dumps back (with counters and action dumps filled). Each kind derives its own record.
/// </summary>
public abstract record FilterSpec;
