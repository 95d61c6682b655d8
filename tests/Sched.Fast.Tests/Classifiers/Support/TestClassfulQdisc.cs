using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Classifiers.Support;

/// <summary>
/// A classful qdisc for filter tests, shaped like the kernel kinds filters attach to: "htb"-like (classes with
/// their own filter blocks), "ingress" (one block, any minor) and "clsact" (blocks at ffff:fff2 and ffff:fff3 only).
/// Enqueue classifies with the qdisc's block and records the verdict and result, then frees the packet.
/// </summary>
public sealed class TestClassfulQdisc : ClassfulQdisc
{
    private readonly string _kind;
    private readonly SortedDictionary<uint, TestClass> _classes = [];
    private readonly FilterBlock _egress = new();

    public TestClassfulQdisc(QdiscContext context, string kind) : base(context) => _kind = kind;

    public override string Kind => _kind;

    public int LastVerdict { get; private set; }
    public ClassifyResult LastResult { get; private set; }

    public sealed class TestClass(uint classId, uint parent) : QdiscClass(classId, parent)
    {
        public FilterBlock Block { get; } = new();
        public override Qdisc? Leaf => null;
        public override ClassSpec? Dump() => null;
    }

    public TestClass AddTestClass(uint classId, uint parent = 0)
    {
        var cl = new TestClass(classId, parent == 0 ? Handle : parent);
        _classes.Add(classId, cl);
        return cl;
    }

    public override QdiscClass? FindClass(uint classId) => _kind switch
    {
        "ingress" => Pseudo(classId),
        "clsact" => (classId & 0xFFFF) is 0xFFF2 or 0xFFF3 ? Pseudo(classId) : null,
        _ => _classes.GetValueOrDefault(classId),
    };

    private QdiscClass Pseudo(uint classId)
    {
        if (!_classes.TryGetValue(classId, out TestClass? cl))
        {
            cl = new TestClass(classId, Handle);
            _classes.Add(classId, cl);
        }
        return cl;
    }

    public override IEnumerable<QdiscClass> WalkClasses() => _kind is "ingress" or "clsact" ? [] : _classes.Values;

    public override FilterBlock? ClassFilters(QdiscClass cl) => _kind switch
    {
        "ingress" => Filters,
        "clsact" => (cl.ClassId & 0xFFFF) == 0xFFF2 ? Filters : _egress,
        _ => ((TestClass)cl).Block,
    };

    public override FilterBlock? BlockFor(QdiscClass? cl) => _kind == "clsact" && cl is null ? null : base.BlockFor(cl);

    public override Qdisc Graft(QdiscClass cl, Qdisc? newLeaf) => throw new NotSupportedException();

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        var result = new ClassifyResult();
        LastVerdict = Filters.Classify(packet, ref result);
        LastResult = result;
        packet.Free();
        return EnqueueResult.Success;
    }

    protected override Packet? DequeueCore(TimeNs now) => null;

    protected override void ResetCore() { }

    public override QdiscSpec Dump() => new TestSpec();

    private sealed record TestSpec : QdiscSpec;
}
