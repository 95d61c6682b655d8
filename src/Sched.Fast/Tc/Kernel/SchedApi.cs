using System.Runtime.CompilerServices;
using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Ingress;
using Sched.Fast.Time;

namespace Sched.Fast.Tc.Kernel;

/// <summary>
/// The kernel half of tc for qdiscs and classes: net/sched/sch_api.c's rtnetlink handlers (tc_modify_qdisc,
/// tc_get_qdisc, tc_ctl_tclass, the dumps) with their lookup, create, graft and change rules, NLM_F_* flag
/// semantics and extack messages, over a <see cref="DeviceTable"/>. Every request is checked in full before the
/// tree changes, so a failing command leaves the tree as it was. Runs on the thread that owns the qdisc trees (the
/// datapath's safe point, or the offline engine).
/// </summary>
public sealed class SchedApi
{
    private const int MaxDepth = 7; // qdisc_graft(): "Qdisc hierarchy is too deep"

    private readonly ConditionalWeakTable<Qdisc, QdiscRecord> _records = new();
    private readonly HashSet<NetDevice> _ingressQueues = [];
    private readonly Dictionary<uint, (FilterBlock Block, int Users)> _sharedBlocks = [];
    private uint _autoHandle = 0x8000_0000; // qdisc_alloc_handle()'s static counter: 8001: comes first
    private long _hashSequence;
    private TimeNs _nextEstimatorSample = TimeNs.Never;

    public SchedApi(DeviceTable devices, IClock? clock = null)
    {
        Devices = devices;
        Clock = clock ?? new ManualClock();
    }

    public DeviceTable Devices { get; }

    /// <summary>The clock estimators start from (the datapath's, or simulated time offline).</summary>
    public IClock Clock { get; }

    // ------------------------------------------------------------------------------------------------------------
    // RTM_NEWQDISC: tc qdisc add | change | replace | link

    /// <summary>tc_modify_qdisc().</summary>
    public void ModifyQdisc(QdiscRequest req)
    {
        NetDevice dev = Device(req.IfIndex);
        uint clid = req.Parent;
        Qdisc? q = null;
        ClassfulQdisc? p = null;
        bool createNew;
        bool needCreateFlag = true;

        if (clid != 0)
        {
            if (clid != TcHandle.Root)
            {
                if (clid != TcHandle.Ingress)
                {
                    p = Lookup(dev, TcHandle.Major(clid)) as ClassfulQdisc;
                    if (p is null)
                    {
                        if (Lookup(dev, TcHandle.Major(clid)) is null)
                            throw TcException.Kernel("Failed to find specified qdisc");
                        throw TcException.Kernel("Parent qdisc is not classful");
                    }
                    q = Leaf(p, clid);
                }
                else
                {
                    _ingressQueues.Add(dev); // dev_ingress_queue_create()
                    q = dev.Ingress;
                }
            }
            else
            {
                q = dev.Root;
            }

            // "It may be default qdisc, ignore it"
            if (q is { Handle: 0 }) q = null;

            createNew = false;
            if (q is null || req.Handle == 0 || q.Handle != req.Handle)
            {
                if (req.Handle != 0)
                {
                    if (q is not null && (req.Flags & NetlinkFlags.Replace) == 0)
                        throw TcException.Kernel("NLM_F_REPLACE needed to override");
                    if (TcHandle.Minor(req.Handle) != 0) throw TcException.Kernel("Invalid minor handle");
                    q = Lookup(dev, req.Handle);
                    if (q is null)
                    {
                        createNew = true;
                    }
                    else
                    {
                        if (q.Parent != req.Parent)
                            throw TcException.Kernel("Cannot move an existing qdisc to a different parent");
                        if ((req.Flags & NetlinkFlags.Exclusive) != 0)
                            throw TcException.Kernel("Exclusivity flag on, cannot override");
                        if (req.Kind is not null && req.Kind != q.Kind) throw TcException.Kernel("Invalid qdisc name");
                        if (q is HookQdisc) throw TcException.Kernel("Cannot regraft ingress or clsact Qdiscs");
                        if (q == p || (p is not null && IsAncestor(q, p)))
                            throw TcException.Kernel("Qdisc parent/child loop detected");
                        if (clid == TcHandle.Ingress) throw TcException.Kernel("Ingress cannot graft directly");
                        // Re-grafting a qdisc where it already is: nothing moves.
                        return;
                    }
                }
                else
                {
                    if (q is null)
                    {
                        createNew = true;
                    }
                    else if (req.Kind is not null && req.Kind != q.Kind)
                    {
                        // The "magic test": another kind at this place means graft a new qdisc; a plain change
                        // (no flags) grafts even without NLM_F_CREATE.
                        if (IsCreateOrReplace(req.Flags) || IsCreateExclusive(req.Flags)) createNew = true;
                        else if (IsChange(req.Flags))
                        {
                            createNew = true;
                            needCreateFlag = false;
                        }
                    }
                }
            }
        }
        else
        {
            if (req.Handle == 0) throw TcException.Kernel("Handle cannot be zero");
            q = Lookup(dev, req.Handle);
            createNew = false;
        }

        if (!createNew)
        {
            if (q is null) throw TcException.Kernel("Specified qdisc not found");
            if ((req.Flags & NetlinkFlags.Exclusive) != 0) throw TcException.Kernel("Exclusivity flag on, cannot modify");
            if (req.Kind is not null && req.Kind != q.Kind) throw TcException.Kernel("Invalid qdisc name");
            ChangeQdisc(q, req);
            return;
        }

        if (needCreateFlag && (req.Flags & NetlinkFlags.Create) == 0)
            throw TcException.Kernel("Qdisc not found. To create specify NLM_F_CREATE flag");

        Qdisc created = clid == TcHandle.Ingress
            ? CreateQdisc(dev, req, req.Parent, req.Parent)
            : CreateQdisc(dev, req, req.Parent, req.Handle);
        try
        {
            Graft(dev, p, clid, created, null);
        }
        catch
        {
            Forget(created);
            created.Destroy();
            throw;
        }
    }

    /// <summary>qdisc_change(): new options (the kind validates them first), size table and estimator.</summary>
    private void ChangeQdisc(Qdisc q, QdiscRequest req)
    {
        if (req.Options is not null)
        {
            if (req.IngressBlock != 0 || req.EgressBlock != 0)
                throw new TcException("Error: Change of blocks is not supported.", 2);
            q.Change(req.Options);
        }
        QdiscRecord rec = Record(q);
        // A change without a size table removes the one in place, as in the kernel.
        rec.SizeTable = req.SizeTable;
        if (req.Estimator is { } est) StartEstimator(q.Stats, est);
    }

    /// <summary>qdisc_create(): the kind's init with its defaults, a handle (8001: and up when none was given).</summary>
    private Qdisc CreateQdisc(NetDevice dev, QdiscRequest req, uint parent, uint handle)
    {
        QdiscKind kind = (req.Kind is null ? null : QdiscKinds.Find(req.Kind))
            ?? throw TcException.Kernel("Specified qdisc kind is unknown");
        bool ingressKind = kind.Name is "ingress" or "clsact";
        if (handle == TcHandle.Ingress)
        {
            if (!ingressKind)
                throw TcException.Kernel("Specified parent ID is reserved for ingress and clsact Qdiscs");
            handle = TcHandle.IngressMajor;
        }
        else if (handle == 0)
        {
            handle = AllocateHandle(dev);
            if (handle == 0) throw TcException.Kernel("Maximum number of qdisc handles was exceeded");
        }

        if (req.IngressBlock != 0 && !ingressKind)
            throw new TcException("Error: Ingress block sharing is not supported.", 2);
        if (req.EgressBlock != 0 && kind.Name != "clsact")
            throw new TcException("Error: Egress block sharing is not supported.", 2);

        var context = new QdiscContext(dev, handle, parent, CreateDefaultFor(dev));
        Qdisc q = kind.Create(req.Options, context);
        q.Handle = handle;
        q.Parent = parent;

        if (q is HookQdisc hook)
        {
            if (req.IngressBlock != 0) hook.ShareBlock(false, req.IngressBlock, AcquireSharedBlock(req.IngressBlock));
            if (req.EgressBlock != 0) hook.ShareBlock(true, req.EgressBlock, AcquireSharedBlock(req.EgressBlock));
        }

        QdiscRecord rec = Record(q);
        rec.SizeTable = req.SizeTable;
        if (req.Estimator is { } est) StartEstimator(q.Stats, est);
        // qdisc_hash_add(sch, false): every qdisc but the root and the hooks is listed.
        if (parent != TcHandle.Root && q is not HookQdisc)
        {
            rec.HashSequence = ++_hashSequence;
            rec.Invisible = false;
        }
        return q;
    }

    /// <summary>qdisc_create_dflt() for kinds' own children: hashed invisible (qdisc_hash_add(q, true)).</summary>
    private Func<string, uint, uint, Qdisc> CreateDefaultFor(NetDevice dev) => (kindName, handle, parent) =>
    {
        QdiscKind kind = QdiscKinds.Find(kindName) ?? throw new InvalidOperationException($"no qdisc kind {kindName}");
        Qdisc child = kind.Create(null, new QdiscContext(dev, handle, parent, CreateDefaultFor(dev)));
        QdiscRecord rec = Record(child);
        rec.HashSequence = ++_hashSequence;
        rec.Invisible = true;
        return child;
    };

    /// <summary>qdisc_alloc_handle(): one counter for the whole kernel, skipping handles in use on the device.</summary>
    private uint AllocateHandle(NetDevice dev)
    {
        for (int i = 0x8000; i > 0; i--)
        {
            _autoHandle += 0x1_0000;
            if (_autoHandle == TcHandle.Make(TcHandle.Root, 0)) _autoHandle = 0x8000_0000;
            if (Lookup(dev, _autoHandle) is null) return _autoHandle;
        }
        return 0;
    }

    /// <summary>
    /// qdisc_graft(): put <paramref name="newQdisc"/> (null: remove) at the root, the ingress hook, or under class
    /// <paramref name="classId"/> of <paramref name="parent"/>; the displaced qdisc is destroyed.
    /// </summary>
    private void Graft(NetDevice dev, ClassfulQdisc? parent, uint classId, Qdisc? newQdisc, Qdisc? old)
    {
        if (parent is null)
        {
            bool ingress = old is HookQdisc || newQdisc is HookQdisc;
            if (ingress)
            {
                if (!_ingressQueues.Contains(dev)) throw TcException.Kernel("Device does not have an ingress queue");
                Deactivate(dev);
                Qdisc? previous = dev.Ingress;
                dev.Ingress = null;
                if (previous is not null) DestroyTree(previous);
                dev.Ingress = newQdisc;
                Activate(dev);
                return;
            }
            Deactivate(dev);
            Qdisc? oldRoot = dev.Root;
            if (newQdisc is not null)
            {
                newQdisc.ParentQdisc = null;
                newQdisc.Parent = TcHandle.Root;
            }
            dev.Root = newQdisc;
            if (oldRoot is not null && oldRoot != newQdisc) DestroyTree(oldRoot);
            Activate(dev);
            return;
        }

        if (parent is HookQdisc) throw TcException.Errno(Errno.EOPNOTSUPP); // no cops->graft
        QdiscClass cl = parent.FindClass(classId) ?? throw TcException.Kernel("Specified class not found");
        if (newQdisc is { Kind: "noqueue" }) throw TcException.Kernel("Cannot assign noqueue to a class");
        if (newQdisc is not null && Record(newQdisc).SizeTable is not null)
            throw TcException.Kernel("STAB not supported on a non root");
        if (newQdisc is not null && Depth(parent) >= MaxDepth) throw TcException.Kernel("Qdisc hierarchy is too deep");
        Qdisc displaced = parent.Graft(cl, newQdisc);
        if (newQdisc is not null)
        {
            newQdisc.ParentQdisc = parent;
            newQdisc.Parent = classId;
        }
        if (displaced != newQdisc) DestroyTree(displaced);
    }

    // ------------------------------------------------------------------------------------------------------------
    // RTM_DELQDISC: tc qdisc delete

    /// <summary>tc_get_qdisc() for RTM_DELQDISC.</summary>
    public void DeleteQdisc(QdiscRequest req)
    {
        NetDevice dev = Device(req.IfIndex);
        uint clid = req.Parent;
        Qdisc? q;
        ClassfulQdisc? p = null;
        if (clid != 0)
        {
            if (clid != TcHandle.Root)
            {
                if (TcHandle.Major(clid) != TcHandle.Major(TcHandle.Ingress))
                {
                    Qdisc? parentQdisc = Lookup(dev, TcHandle.Major(clid))
                        ?? throw TcException.Kernel("Failed to find qdisc with specified classid");
                    p = parentQdisc as ClassfulQdisc ?? throw new TcException("Error: Parent qdisc is not classful.", 2);
                    q = Leaf(p, clid);
                }
                else
                {
                    q = _ingressQueues.Contains(dev) ? dev.Ingress ?? NoopMarker : null;
                }
            }
            else
            {
                q = dev.Root ?? NoopMarker;
            }
            if (q is null) throw TcException.Kernel("Cannot find specified qdisc on specified device");
            uint handle = q == NoopMarker ? 0 : q.Handle;
            if (req.Handle != 0 && handle != req.Handle) throw TcException.Kernel("Invalid handle");
        }
        else
        {
            q = Lookup(dev, req.Handle) ?? throw TcException.Kernel("Failed to find qdisc with specified handle");
        }

        string kind = q == NoopMarker ? "noop" : q.Kind;
        if (req.Kind is not null && req.Kind != kind) throw TcException.Kernel("Invalid qdisc name");
        if (clid == 0) throw TcException.Kernel("Classid cannot be zero");
        if (q == NoopMarker || q.Handle == 0) throw TcException.Kernel("Cannot delete qdisc with handle of zero");
        Graft(dev, p, clid, null, q);
    }

    /// <summary>Stands for the kernel's noop_qdisc (handle 0, kind "noop") where a device has no qdisc.</summary>
    private static readonly Qdisc NoopMarker = new Qdiscs.Noqueue.NoqueueQdisc(
        new QdiscContext(new NetDevice("noop", 0), 0, 0));

    // ------------------------------------------------------------------------------------------------------------
    // RTM_NEWTCLASS / RTM_DELTCLASS: tc class add | change | replace | delete

    /// <summary>tc_ctl_tclass() for RTM_NEWTCLASS and RTM_DELTCLASS.</summary>
    public void ModifyClass(ClassRequest req, bool delete = false)
    {
        NetDevice dev = Device(req.IfIndex);
        uint portid = req.Parent;
        uint clid = req.ClassId;
        uint qid = TcHandle.Major(clid);
        uint rootHandle = dev.Root?.Handle ?? 0;

        if (portid != TcHandle.Root)
        {
            uint qid1 = TcHandle.Major(portid);
            if (qid != 0 && qid1 != 0)
            {
                if (qid != qid1) throw TcException.Errno(Errno.EINVAL);
            }
            else if (qid1 != 0)
            {
                qid = qid1;
            }
            else if (qid == 0)
            {
                qid = rootHandle;
            }
            if (portid != 0) portid = TcHandle.Make(qid, portid);
        }
        else if (qid == 0)
        {
            qid = rootHandle;
        }

        Qdisc q = Lookup(dev, qid) ?? throw TcException.Errno(Errno.ENOENT);
        if (q is not ClassfulQdisc cq) throw TcException.Errno(Errno.EINVAL);

        if (clid == 0)
        {
            if (portid == TcHandle.Root) clid = qid;
        }
        else
        {
            clid = TcHandle.Make(qid, clid);
        }

        QdiscClass? cl = clid != 0 ? cq.FindClass(clid) : null;
        if (cl is null)
        {
            if (delete || (req.Flags & NetlinkFlags.Create) == 0) throw TcException.Errno(Errno.ENOENT);
        }
        else if (delete)
        {
            cq.DeleteClass(cl);
            // tc_bind_tclass(q, portid, clid, 0): filters naming the class unbind (tc-filters).
            Classifiers.ClassBinding.RebindAll(cq, clid, null);
            return;
        }
        else if ((req.Flags & NetlinkFlags.Exclusive) != 0)
        {
            throw TcException.Errno(Errno.EEXIST);
        }

        if (clid == TcHandle.Root) throw TcException.Kernel("Cannot create traffic class with classid TC_H_ROOT");

        if (cl is null)
        {
            QdiscClass created = cq.AddClass(clid, portid, req.Options);
            if (req.Estimator is { } est) StartEstimator(created.Stats, est);
            // tc_bind_tclass(q, portid, clid, new_cl): filters naming the new class bind to it (tc-filters).
            Classifiers.ClassBinding.RebindAll(cq, clid, created);
        }
        else
        {
            cq.ChangeClass(cl, portid, req.Options);
            if (req.Estimator is { } est) StartEstimator(cl.Stats, est);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Dumps

    /// <summary>
    /// tc_dump_qdisc(): for every device in order, its root, then the other qdiscs of its tree in the order the
    /// kernel's qdisc hash walks them (16 buckets by hash_32(handle), newest first within a bucket), then its
    /// ingress/clsact qdisc. Invisible qdiscs only with <paramref name="dumpInvisible"/>.
    /// </summary>
    public List<QdiscDump> DumpQdiscs(bool dumpInvisible = false)
    {
        var result = new List<QdiscDump>();
        foreach (NetDevice dev in Devices.All)
        {
            if (dev.Root is { } root)
            {
                result.Add(Fill(dev, root, root.Parent));
                foreach (Qdisc q in HashOrder(dev))
                {
                    if (!IsHashed(q)) continue;
                    if (!dumpInvisible && Record(q).Invisible) continue;
                    result.Add(Fill(dev, q, q.Parent));
                }
            }
            if (dev.Ingress is { } ingress) result.Add(Fill(dev, ingress, ingress.Parent));
        }
        return result;
    }

    /// <summary>
    /// tc_dump_tclass() for one device: the classes of its root, then of the qdiscs in hash order (invisible ones
    /// skipped), then of the ingress qdisc; with a parent, only the qdisc whose handle is the parent's major.
    /// </summary>
    public List<ClassDump> DumpClasses(NetDevice dev, uint parent = 0)
    {
        var result = new List<ClassDump>();
        if (dev.Root is { } root)
        {
            AddClasses(result, dev, root, parent);
            if (parent != 0)
            {
                Qdisc? q = Lookup(dev, TcHandle.Major(parent), rootOnlyTree: true);
                if (q is not null && q != root) AddClasses(result, dev, q, parent);
            }
            else
            {
                foreach (Qdisc q in HashOrder(dev))
                {
                    if (IsHashed(q) && !Record(q).Invisible) AddClasses(result, dev, q, parent);
                }
            }
        }
        if (dev.Ingress is { } ingress) AddClasses(result, dev, ingress, parent);
        return result;
    }

    private void AddClasses(List<ClassDump> result, NetDevice dev, Qdisc q, uint parent)
    {
        if (q is not ClassfulQdisc cq || Record(q).Invisible) return;
        if (parent != 0 && TcHandle.Major(parent) != q.Handle) return;
        foreach (QdiscClass cl in cq.WalkClasses())
        {
            RateEstimator? est = cl.Stats.Estimator;
            result.Add(new ClassDump
            {
                Qdisc = cq,
                Class = cl,
                Kind = q.Kind,
                IfIndex = dev.IfIndex,
                DeviceName = dev.Name,
                ClassId = cl.ClassId,
                Parent = cl.ParentClassId,
                LeafHandle = cl.Leaf?.Handle ?? 0,
                Options = cl.Dump(),
                Stats = cl.Stats.Snapshot(),
                HasBasicStats = cl.HasBasicStats,
                RateEstimate = est is null ? null : (est.BytesPerSecond, est.PacketsPerSecond),
                Xstats = cl.DumpXstats(),
            });
        }
    }

    private QdiscDump Fill(NetDevice dev, Qdisc q, uint parent)
    {
        QdiscRecord rec = Record(q);
        RateEstimator? est = q.Stats.Estimator;
        uint refCount = 1;
        // A root holds a reference per TX queue and the device's own (qdisc_graft()); a multiqueue root (mq,
        // mqprio: ops->attach) only the one from its creation.
        if (q == dev.Root && q.Kind is not ("mq" or "mqprio")) refCount = (uint)Math.Max(1, dev.TxQueueCount) + 1;
        return new QdiscDump
        {
            Qdisc = q,
            Kind = q.Kind,
            IfIndex = dev.IfIndex,
            DeviceName = dev.Name,
            Handle = q.Handle,
            Parent = parent,
            RefCount = refCount,
            Options = q.Dump(),
            IngressBlock = (q as HookQdisc)?.IngressBlockIndex ?? 0,
            EgressBlock = (q as HookQdisc)?.EgressBlockIndex ?? 0,
            SizeTable = rec.SizeTable,
            Stats = q.Stats.Snapshot(),
            RateEstimate = est is null ? null : (est.BytesPerSecond, est.PacketsPerSecond),
            Xstats = q.DumpXstats(),
        };
    }

    /// <summary>
    /// Whether a leaf is in the device's qdisc hash at all: not an <see cref="Qdisc.Unlisted"/> one (noop_qdisc,
    /// the pfifo htb_delete()/htb_graft() create), which not even "tc qdisc show invisible" lists.
    /// </summary>
    private bool IsHashed(Qdisc q) => Record(q).HashSequence != 0;

    /// <summary>The device's non-root qdiscs in the order hash_for_each() visits dev->qdisc_hash.</summary>
    private List<Qdisc> HashOrder(NetDevice dev)
    {
        var all = new List<Qdisc>();
        if (dev.Root is ClassfulQdisc root) CollectChildren(root, all);
        all.Sort((a, b) =>
        {
            int ba = HashBucket(a.Handle), bb = HashBucket(b.Handle);
            if (ba != bb) return ba.CompareTo(bb);
            return Record(b).HashSequence.CompareTo(Record(a).HashSequence);
        });
        return all;
    }

    private static void CollectChildren(ClassfulQdisc q, List<Qdisc> into)
    {
        foreach (QdiscClass cl in q.WalkClasses())
        {
            if (cl.Leaf is not { } leaf || into.Contains(leaf)) continue;
            into.Add(leaf);
            if (leaf is ClassfulQdisc inner) CollectChildren(inner, into);
        }
    }

    /// <summary>hash_min(handle, 4) of DECLARE_HASHTABLE(qdisc_hash, 4): hash_32(), the golden-ratio multiply.</summary>
    internal static int HashBucket(uint handle) => (int)(unchecked(handle * 0x61C88647u) >> 28);

    // ------------------------------------------------------------------------------------------------------------
    // Lookups shared with the filter engine

    /// <summary>qdisc_lookup(): the qdisc with <paramref name="handle"/> on the device (root tree or ingress).</summary>
    public Qdisc? Lookup(NetDevice dev, uint handle) => Lookup(dev, handle, rootOnlyTree: false);

    private Qdisc? Lookup(NetDevice dev, uint handle, bool rootOnlyTree)
    {
        if (handle == 0) return null;
        if (dev.Root is { } root)
        {
            if (root.Handle == handle) return root;
            if (root is ClassfulQdisc cq)
            {
                var all = new List<Qdisc>();
                CollectChildren(cq, all);
                foreach (Qdisc q in all)
                {
                    if (q.Handle == handle) return q;
                }
            }
        }
        if (!rootOnlyTree && dev.Ingress is { } ingress && ingress.Handle == handle) return ingress;
        return null;
    }

    /// <summary>
    /// The block a filter command addresses (cls_api.c __tcf_qdisc_find, __tcf_qdisc_cl_find, __tcf_block_find):
    /// parent 0 means the root qdisc; a minor names a class. Errors are the kernel's.
    /// </summary>
    public FilterBlockTarget FindFilterBlock(NetDevice dev, uint parent)
    {
        Qdisc? q;
        if (parent == 0)
        {
            q = dev.Root;
            if (q is null) throw TcException.Kernel("Qdisc not classful");
            parent = q.Handle;
        }
        else
        {
            q = Lookup(dev, TcHandle.Major(parent)) ?? throw TcException.Kernel("Parent Qdisc doesn't exists");
        }
        if (q is not ClassfulQdisc cq) throw TcException.Kernel("Qdisc not classful");
        // __tcf_qdisc_find(): a kind without cops->tcf_block (netem) takes no filters at all.
        if (!cq.HasFilterBlocks) throw TcException.Kernel("Class doesn't support blocks");

        QdiscClass? cl = null;
        if (TcHandle.Minor(parent) != 0)
        {
            cl = cq.FindClass(parent) ?? throw TcException.Kernel("Specified class doesn't exist");
        }
        FilterBlock? block = cl is null ? RootBlock(cq) : cq.ClassFilters(cl);
        if (block is null) throw TcException.Errno(Errno.EINVAL);
        if (q is HookQdisc hook && IsShared(hook, block))
            throw TcException.Kernel("This filter block is shared. Please use the block index to manipulate the filters");
        return new FilterBlockTarget(q, cl, block, parent);
    }

    /// <summary>cops->tcf_block(q, 0): the qdisc's own block; ingress's one block; none for clsact (its two hooks
    /// need their minors).</summary>
    private static FilterBlock? RootBlock(ClassfulQdisc q) => q switch
    {
        Qdiscs.Clsact.ClsactQdisc => null,
        HookQdisc hook => hook.IngressBlock,
        _ => q.Filters,
    };

    private static bool IsShared(HookQdisc hook, FilterBlock block) =>
        (hook.IsIngressBlockShared && block == hook.IngressBlock) ||
        (hook.IsEgressBlockShared && hook is Qdiscs.Clsact.ClsactQdisc c && block == c.EgressBlock);

    /// <summary>A shared block by index (tc filter ... block N), or null (tcf_block_refcnt_get()).</summary>
    public FilterBlock? FindSharedBlock(uint index) =>
        _sharedBlocks.TryGetValue(index, out var entry) ? entry.Block : null;

    /// <summary>The devices whose hooks use shared block <paramref name="index"/>.</summary>
    public IEnumerable<NetDevice> SharedBlockDevices(uint index) =>
        Devices.All.Where(d => d.Ingress is HookQdisc h && (h.IngressBlockIndex == index || h.EgressBlockIndex == index));

    private FilterBlock AcquireSharedBlock(uint index)
    {
        if (_sharedBlocks.TryGetValue(index, out var entry))
        {
            _sharedBlocks[index] = (entry.Block, entry.Users + 1);
            return entry.Block;
        }
        var block = new FilterBlock();
        _sharedBlocks[index] = (block, 1);
        return block;
    }

    private void ReleaseSharedBlock(uint index)
    {
        if (index == 0 || !_sharedBlocks.TryGetValue(index, out var entry)) return;
        if (entry.Users <= 1)
        {
            // tcf_block_put() of the last user: its filters go, releasing their actions (tc-filters).
            entry.Block.Flush();
            _sharedBlocks.Remove(index);
        }
        else _sharedBlocks[index] = (entry.Block, entry.Users - 1);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Devices

    /// <summary>
    /// dev_activate(): a device that is up and has no root qdisc gets its default one (handle 0, not deletable).
    /// Call when a device comes up; the engine calls it after every root graft.
    /// </summary>
    public void Activate(NetDevice dev)
    {
        if (!dev.IsUp || dev.Root is not null) return;
        QdiscKind kind = QdiscKinds.Find(dev.DefaultQdiscKind) ?? QdiscKinds.Find("noqueue")!;
        Qdisc q = kind.Create(null, new QdiscContext(dev, 0, TcHandle.Root, CreateDefaultFor(dev)));
        q.Handle = 0;
        q.Parent = TcHandle.Root;
        dev.Root = q;
    }

    /// <summary>
    /// dev_deactivate() before a graft at the root or the hooks of a device that is up: the root qdisc is reset
    /// (qdisc_reset() of the sleeping qdisc), dropping what it held without counting drops, as Linux does.
    /// </summary>
    private static void Deactivate(NetDevice dev)
    {
        if (dev.IsUp) dev.Root?.Reset();
    }

    /// <summary>The size table of the root qdisc, which the datapath applies to each packet (qdisc_pkt_len).</summary>
    public SizeTableSpec? RootSizeTable(NetDevice dev) => dev.Root is { } root ? Record(root).SizeTable : null;

    // ------------------------------------------------------------------------------------------------------------
    // Rate estimators

    private void StartEstimator(QdiscStats stats, EstimatorSpec spec)
    {
        var est = new RateEstimator(spec.Interval, spec.EwmaLog);
        est.Start(stats, Clock.Now, stats.Estimator);
        stats.Estimator = est;
        _nextEstimatorSample = TimeNs.Min(_nextEstimatorSample, est.NextSample);
    }

    /// <summary>When the earliest estimator sample is due (TimeNs.Never when none runs).</summary>
    public TimeNs NextEstimatorSample => _nextEstimatorSample;

    /// <summary>
    /// Runs the estimators that are due (gen_estimator's timers). Cheap when none is: the datapath calls it between
    /// bursts; the offline engine before each show.
    /// </summary>
    public void TickEstimators(TimeNs now)
    {
        if (now < _nextEstimatorSample) return;
        TimeNs next = TimeNs.Never;
        foreach (NetDevice dev in Devices.All)
        {
            if (dev.Root is { } root) next = TimeNs.Min(next, TickTree(root, now));
            if (dev.Ingress is { } ingress) next = TimeNs.Min(next, TickStats(ingress.Stats, now));
        }
        _nextEstimatorSample = next;
    }

    private static TimeNs TickTree(Qdisc q, TimeNs now)
    {
        TimeNs next = TickStats(q.Stats, now);
        if (q is ClassfulQdisc cq)
        {
            foreach (QdiscClass cl in cq.WalkClasses())
            {
                next = TimeNs.Min(next, TickStats(cl.Stats, now));
                if (cl.Leaf is { } leaf) next = TimeNs.Min(next, TickTree(leaf, now));
            }
        }
        return next;
    }

    private static TimeNs TickStats(QdiscStats stats, TimeNs now)
    {
        if (stats.Estimator is not { } est) return TimeNs.Never;
        est.Update(stats, now);
        return est.NextSample;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers

    private NetDevice Device(int ifIndex) => Devices.Find(ifIndex) ?? throw TcException.Errno(Errno.ENODEV);

    /// <summary>qdisc_leaf(): the leaf of class <paramref name="classId"/> (null for an inner class).</summary>
    private static Qdisc? Leaf(ClassfulQdisc p, uint classId)
    {
        QdiscClass cl = p.FindClass(classId) ?? throw TcException.Kernel("Specified class not found");
        return cl.Leaf;
    }

    /// <summary>
    /// The kernel's bookkeeping for <paramref name="q"/>. Qdiscs created by commands and by
    /// <see cref="QdiscContext.CreateDefault"/> get theirs at creation; any other qdisc found in a tree was made
    /// by its kind directly (a default child with options, like tbf's bfifo from fifo_create_dflt()), which the
    /// kernel hashes invisible: so is it here, unless it is a root or a hook (never hashed).
    /// </summary>
    private QdiscRecord Record(Qdisc q) => _records.GetValue(q, _ => new QdiscRecord
    {
        Invisible = q.Parent != TcHandle.Root && q.Parent != TcHandle.Ingress && q is not HookQdisc,
        HashSequence = q.Unlisted ? 0 : ++_hashSequence,
    });

    private void Forget(Qdisc q) => _records.Remove(q);

    /// <summary>Whether <paramref name="q"/> is <paramref name="p"/> or one of its ancestors (check_loop()).</summary>
    private static bool IsAncestor(Qdisc q, Qdisc p)
    {
        for (Qdisc? a = p; a is not null; a = a.ParentQdisc)
        {
            if (a == q) return true;
        }
        return false;
    }

    private static int Depth(Qdisc q)
    {
        int depth = 0;
        for (Qdisc? a = q.ParentQdisc; a is not null; a = a.ParentQdisc) depth++;
        return depth;
    }

    /// <summary>qdisc_put() of a displaced qdisc: destroy it (its children with it) and release its blocks.</summary>
    private void DestroyTree(Qdisc q)
    {
        if (q is HookQdisc hook)
        {
            ReleaseSharedBlock(hook.IngressBlockIndex);
            ReleaseSharedBlock(hook.EgressBlockIndex);
        }
        q.Destroy();
        Forget(q);
    }

    private static bool IsCreateOrReplace(NetlinkFlags f) =>
        (f & NetlinkFlags.Create) != 0 && (f & NetlinkFlags.Replace) != 0;

    private static bool IsCreateExclusive(NetlinkFlags f) =>
        (f & NetlinkFlags.Create) != 0 && (f & NetlinkFlags.Exclusive) != 0;

    private static bool IsChange(NetlinkFlags f) =>
        (f & (NetlinkFlags.Create | NetlinkFlags.Replace | NetlinkFlags.Exclusive)) == 0;
}
