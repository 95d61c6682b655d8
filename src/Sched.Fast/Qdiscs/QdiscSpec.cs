namespace Sched.Fast.Qdiscs;

/// <summary>
/// A qdisc's options as one immutable value: what iproute2's parser puts in TCA_OPTIONS and what the kernel dumps
/// back. Each kind derives its own record (e.g. <c>FifoSpec</c>). Keeping the kernel's representation (rates in
/// bytes/s, buffers in psched ticks, ...) makes tc's print rounding come out exactly as tc's.
/// </summary>
public abstract record QdiscSpec;

/// <summary>A class's options (TCA_OPTIONS of a class), e.g. htb's rate/ceil/burst.</summary>
public abstract record ClassSpec;
