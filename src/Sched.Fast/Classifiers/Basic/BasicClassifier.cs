using Sched.Fast.Actions;
using Sched.Fast.Ematches;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers.Basic;

/// <summary>
/// net/sched/cls_basic.c: a list of filters, newest first, each an ematch tree with a class and actions; the first
/// that matches and whose actions give a verdict decides.
/// </summary>
public sealed class BasicClassifier : Classifier
{
    private Filter[] _filters = [];

    public BasicClassifier(uint prio, ushort protocol) : base(prio, protocol) { }

    public override string Kind => "basic";

    /// <summary>struct basic_filter.</summary>
    private sealed class Filter : FilterNode
    {
        public uint Id;
        public EmatchTree? Tree;
        public ClassifyResult Result;
        public ActionList Actions = ActionList.Empty;
        public ulong Tried;
        public ulong Hits;

        public override uint Handle => Id;
    }

    public override int Classify(Packet packet, ref ClassifyResult result)
    {
        Filter[] filters = _filters;
        if (filters.Length == 0) return TcAct.Unspec;
        PacketHeaders headers = PacketHeaders.Of(packet);
        for (int i = 0; i < filters.Length; i++)
        {
            Filter f = filters[i];
            f.Tried++;
            if (f.Tree is { } tree && !tree.Match(packet, headers)) continue;
            f.Hits++;
            result.ClassId = f.Result.ClassId;
            result.Class = f.Result.Class;
            result.GotoChain = null;
            int r = f.Actions.Execute(packet, ref result);
            if (r < 0) continue;
            return r;
        }
        return TcAct.Unspec;
    }

    public override FilterNode? Get(uint handle) => Array.Find(_filters, f => f.Id == handle);

    public override FilterNode Change(FilterChange change)
    {
        if (change.Options is not BasicSpec spec) throw KernelError.Errno(Errno.EINVAL);
        var old = change.Existing as Filter;
        uint handle = FilterArray.Handle(_filters, change.Handle, old);

        var f = new Filter { Id = handle };
        f.Actions = FilterExts.Validate(this, spec.Actions, change.Replace, 0);
        try
        {
            if (spec.Ematches is { } tree) f.Tree = EmatchTree.Create(tree, Namespace!);
        }
        catch (TcException)
        {
            FilterExts.Destroy(f.Actions);
            throw;
        }
        if (spec.ClassId is { } classId) ClassBinding.Bind(this, ref f.Result, classId);

        _filters = FilterArray.Publish(_filters, f, old);
        if (old is not null) Release(old);
        return f;
    }

    public override void Delete(FilterNode node, out bool last)
    {
        var f = (Filter)node;
        _filters = FilterArray.Without(_filters, f);
        Release(f);
        last = _filters.Length == 0;
    }

    public override IEnumerable<FilterNode> Walk() => _filters;

    public override FilterDump Dump(FilterNode node)
    {
        var f = (Filter)node;
        return new FilterDump(f.Id, new BasicSpec
        {
            ClassId = f.Result.ClassId != 0 ? f.Result.ClassId : null,
            Ematches = f.Tree?.Spec ?? new EmatchTreeSpec([], 0),
            Actions = FilterExts.Dump(f.Actions, Namespace),
            Tried = f.Tried,
            Hits = f.Hits,
        });
    }

    public override void BindClass(uint classId, object? cl)
    {
        foreach (Filter f in _filters) ClassBinding.Rebind(ref f.Result, classId, cl as QdiscClass);
    }

    public override void Destroy()
    {
        foreach (Filter f in _filters) Release(f);
        _filters = [];
    }

    private static void Release(Filter f)
    {
        ClassBinding.Unbind(ref f.Result);
        FilterExts.Destroy(f.Actions);
    }
}
