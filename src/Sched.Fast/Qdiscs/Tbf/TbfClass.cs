namespace Sched.Fast.Qdiscs.Tbf;

/// <summary>
/// tbf's single class, minor 1, which holds the child qdisc (tbf_class_ops). It has no options and no statistics
/// of its own (no dump_stats), so tc prints only "class tbf 1:1 parent 1: [leaf X:]".
/// </summary>
public sealed class TbfClass : QdiscClass
{
    private readonly TbfQdisc _owner;

    internal TbfClass(TbfQdisc owner) : base(TcHandleOf(owner.Handle), owner.Handle) => _owner = owner;

    public override Qdisc? Leaf => _owner.Child;

    public override ClassSpec? Dump() => null;

    /// <summary>tbf_class_ops has no dump_stats: tc -s prints an empty line for the class.</summary>
    public override bool HasStatistics => false;

    private static uint TcHandleOf(uint qdiscHandle) => (qdiscHandle & 0xFFFF_0000) | 1;
}
