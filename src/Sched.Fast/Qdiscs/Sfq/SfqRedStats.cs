namespace Sched.Fast.Qdiscs.Sfq;

/// <summary>struct tc_sfqred_stats: what sfq's per-flow RED did, dumped inside the options (tc prints it with -s).</summary>
public readonly record struct SfqRedStats(
    uint ProbDrop,
    uint ForcedDrop,
    uint ProbMark,
    uint ForcedMark,
    uint ProbMarkHead,
    uint ForcedMarkHead);
