namespace Sched.Fast.Qdiscs.Htb;

/// <summary>struct tc_htb_xstats: lends, borrows, giants (never counted since 2.6), tokens and ctokens in ticks.</summary>
public sealed record HtbClassXstats(uint Lends, uint Borrows, uint Giants, int Tokens, int CTokens);
