namespace Sched.Fast.Ematches;

/// <summary>
/// One ematch's configuration as tc sends it and the kernel dumps it (the bytes after a tcf_ematch_hdr). Each kind
/// derives its own record: <c>CmpEmatch</c>, <c>U32Ematch</c>, <c>NbyteEmatch</c>, <c>MetaEmatch</c>.
/// </summary>
public abstract record EmatchData;
