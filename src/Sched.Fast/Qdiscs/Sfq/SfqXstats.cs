namespace Sched.Fast.Qdiscs.Sfq;

/// <summary>struct tc_sfq_xstats: a bucket's remaining allotment in bytes (class xstats).</summary>
public sealed record SfqXstats(int Allot);
