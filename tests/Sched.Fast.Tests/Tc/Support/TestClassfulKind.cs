using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Tc.Support;

/// <summary>
/// A minimal classful kind for engine tests ("testful"): flat classes under the qdisc, each with a pfifo leaf made
/// by qdisc_create_dflt() like htb's, graftable, deletable; its class option is a number printed as "weight N".
/// Packets go to the class whose minor is skb->priority, else the first class.
/// </summary>
public sealed class TestClassfulKind : QdiscKind
{
    public const string KindName = "testful";

    public static void EnsureRegistered() => QdiscKinds.Register(new TestClassfulKind());

    public override string Name => KindName;
    public override bool IsClassful => true;

    public override QdiscSpec? ParseOptions(TcArgs args, TcParseContext context)
    {
        if (args.HasMore) throw new TcException($"What is \"{args.Current}\"?");
        return null;
    }

    public override void PrintOptions(TcWriter w, QdiscSpec spec) { }

    public override Qdisc Create(QdiscSpec? spec, QdiscContext context) => new TestClassfulQdisc(context);

    public override ClassSpec? ParseClassOptions(TcArgs args, TcParseContext context)
    {
        uint weight = 1;
        while (args.HasMore)
        {
            if (args.Is("weight")) weight = uint.Parse(args.NextArg());
            else throw new TcException($"What is \"{args.Current}\"?");
            args.Advance();
        }
        return new WeightSpec(weight);
    }

    public override void PrintClassOptions(TcWriter w, ClassSpec spec) =>
        w.Uint(PrintTarget.Any, "weight", "weight %u ", ((WeightSpec)spec).Weight);

    public sealed record WeightSpec(uint Weight) : ClassSpec;

    public sealed class TestClass(uint classId, uint parent, Qdisc leaf, uint weight) : QdiscClass(classId, parent)
    {
        public Qdisc LeafQdisc = leaf;
        public uint Weight = weight;
        public override Qdisc? Leaf => LeafQdisc;
        public override ClassSpec? Dump() => new WeightSpec(Weight);
    }

    public sealed class TestClassfulQdisc(QdiscContext context) : ClassfulQdisc(context)
    {
        private readonly List<TestClass> _classes = [];

        public override string Kind => KindName;

        public override QdiscClass? FindClass(uint classId) => _classes.Find(c => c.ClassId == classId);

        public override IEnumerable<QdiscClass> WalkClasses() => _classes;

        public override QdiscClass AddClass(uint classId, uint parentClassId, ClassSpec? spec)
        {
            if (TcHandle.Minor(classId) == 0) throw TcException.Kernel("minor 0 is the qdisc");
            Qdisc leaf = Context.CreateDefault("pfifo", 0, classId);
            leaf.ParentQdisc = this;
            var cl = new TestClass(classId, Handle, leaf, (spec as WeightSpec)?.Weight ?? 1);
            _classes.Add(cl);
            return cl;
        }

        public override void ChangeClass(QdiscClass cl, uint parentClassId, ClassSpec? spec)
        {
            if (spec is WeightSpec w) ((TestClass)cl).Weight = w.Weight;
        }

        public override void DeleteClass(QdiscClass cl)
        {
            var c = (TestClass)cl;
            c.LeafQdisc.PurgeQueue();
            c.LeafQdisc.Destroy();
            _classes.Remove(c);
        }

        public override Qdisc Graft(QdiscClass cl, Qdisc? newLeaf)
        {
            var c = (TestClass)cl;
            newLeaf ??= Context.CreateDefault("pfifo", 0, cl.ClassId);
            return ReplaceLeaf(ref c.LeafQdisc, newLeaf, cl.ClassId);
        }

        public override EnqueueResult Enqueue(Packet packet, TimeNs now)
        {
            if (_classes.Count == 0) return DropPacket(packet);
            TestClass cl = _classes.Find(c => TcHandle.Minor(c.ClassId) == packet.Priority) ?? _classes[0];
            int len = packet.QdiscLength;
            EnqueueResult r = cl.LeafQdisc.Enqueue(packet, now);
            if (r.IsSuccess())
            {
                Stats.Backlog += (uint)len;
                Stats.Qlen++;
            }
            else if (r.CountsAsDrop())
            {
                Stats.Drops++;
            }
            return r;
        }

        protected override Packet? DequeueCore(TimeNs now)
        {
            foreach (TestClass cl in _classes)
            {
                if (cl.LeafQdisc.Dequeue(now) is { } p)
                {
                    CountDequeued(p);
                    cl.Stats.CountSent(p.QdiscLength);
                    return p;
                }
            }
            return null;
        }

        protected override void ResetCore()
        {
            foreach (TestClass cl in _classes) cl.LeafQdisc.Reset();
        }

        public override QdiscSpec Dump() => Sched.Fast.Qdiscs.Noqueue.NoqueueSpec.Instance;
    }
}
