namespace Sched.Fast.Classifiers;

/// <summary>
/// struct tcf_result: what a classifier found. <see cref="ClassId"/> is the class to use; <see cref="Class"/>
/// caches the qdisc's class object when the filter was bound to it (tcf_bind_filter), so the qdisc need not look it
/// up per packet. <see cref="GotoChain"/> is the chain a goto chain verdict continues in.
/// </summary>
public struct ClassifyResult
{
    public uint ClassId;
    public object? Class;
    public FilterChain? GotoChain;
}
