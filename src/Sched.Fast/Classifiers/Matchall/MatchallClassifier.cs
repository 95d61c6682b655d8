using Sched.Fast.Actions;
using Sched.Fast.Packets;
using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers.Matchall;

/// <summary>
/// net/sched/cls_matchall.c: one filter per classifier that matches every packet of its protocol, returning its
/// class and running its actions.
/// </summary>
public sealed class MatchallClassifier : Classifier
{
    private Head? _head;

    public MatchallClassifier(uint prio, ushort protocol) : base(prio, protocol) { }

    public override string Kind => "matchall";

    /// <summary>struct cls_mall_head.</summary>
    private sealed class Head : FilterNode
    {
        public uint Id;
        public ClassifyResult Result;
        public ActionList Actions = ActionList.Empty;
        public uint Flags;
        public ulong Hits;
        public bool Deleting;

        public override uint Handle => Id;
    }

    public override int Classify(Packet packet, ref ClassifyResult result)
    {
        Head? head = _head;
        if (head is null || (head.Flags & ClassifierFlags.SkipSw) != 0) return TcAct.Unspec;
        result.ClassId = head.Result.ClassId;
        result.Class = head.Result.Class;
        result.GotoChain = null;
        head.Hits++;
        return head.Actions.Execute(packet, ref result);
    }

    public override FilterNode? Get(uint handle) => _head is { } h && h.Id == handle ? h : null;

    public override FilterNode Change(FilterChange change)
    {
        if (change.Options is not MatchallSpec spec) throw KernelError.Errno(Errno.EINVAL);
        if (_head is not null) throw KernelError.Errno(Errno.EEXIST);
        uint flags = spec.Flags ?? 0;
        if (!ClassifierFlags.IsValid(flags)) throw KernelError.Errno(Errno.EINVAL);
        var head = new Head { Id = change.Handle == 0 ? 1 : change.Handle, Flags = flags };
        head.Actions = FilterExts.Validate(this, spec.Actions, change.Replace, flags);
        if (spec.ClassId is { } classId) ClassBinding.Bind(this, ref head.Result, classId);
        // No device here offloads (block->nooffloaddevcnt): tc_setup_cb_add() refuses a filter that must skip
        // software.
        if ((flags & ClassifierFlags.SkipHw) == 0 && (flags & ClassifierFlags.SkipSw) != 0)
        {
            ClassBinding.Unbind(ref head.Result);
            FilterExts.Destroy(head.Actions);
            throw KernelError.Errno(Errno.EOPNOTSUPP);
        }
        head.Flags |= ClassifierFlags.NotInHw;
        _head = head;
        return head;
    }

    public override void Delete(FilterNode node, out bool last)
    {
        ((Head)node).Deleting = true;
        last = true;
    }

    public override IEnumerable<FilterNode> Walk()
    {
        if (_head is { Deleting: false } h) yield return h;
    }

    public override FilterDump Dump(FilterNode node)
    {
        var h = (Head)node;
        return new FilterDump(h.Id, new MatchallSpec
        {
            ClassId = h.Result.ClassId != 0 ? h.Result.ClassId : null,
            Flags = h.Flags != 0 ? h.Flags : null,
            RuleHits = h.Hits,
            Actions = FilterExts.Dump(h.Actions, Namespace),
        });
    }

    public override void BindClass(uint classId, object? cl)
    {
        if (_head is { } h) ClassBinding.Rebind(ref h.Result, classId, cl as Qdiscs.QdiscClass);
    }

    public override void Destroy()
    {
        if (_head is not { } h) return;
        ClassBinding.Unbind(ref h.Result);
        FilterExts.Destroy(h.Actions);
        _head = null;
    }
}
