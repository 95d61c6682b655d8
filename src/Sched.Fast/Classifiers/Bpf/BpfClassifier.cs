using Bpf.Native.Programs;
using Bpf.Native.Programs.Classic;
using Sched.Fast.Actions;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// net/sched/cls_bpf.c: the programs of one classifier, newest first, each with its handle, classid, actions and
/// mode. Classic mode: the program's result 0 means no match, -1 the configured class, anything else is the
/// classid; then the actions run. Direct-action mode: the program's TC_ACT code is the verdict (OK, SHOT, STOLEN,
/// TRAP, REDIRECT, UNSPEC; others are UNSPEC) and the class is the configured major with the minor the program left
/// in tc_classid. The first program that gives a verdict decides.
/// </summary>
public sealed class BpfClassifier : Classifier
{
    private Filter[] _filters = [];

    public BpfClassifier(uint prio, ushort protocol) : base(prio, protocol) { }

    public override string Kind => "bpf";

    /// <summary>struct cls_bpf_prog.</summary>
    private sealed class Filter : FilterNode
    {
        public uint Id;
        public required LoadedProgram Program;
        public IReadOnlyList<ClassicInstruction>? Opcodes;
        public string? Name;
        public ClassifyResult Result;
        public ActionList Actions = ActionList.Empty;
        public bool DirectAction;
        public uint GenFlags;

        public override uint Handle => Id;
    }

    public override int Classify(Packet packet, ref ClassifyResult result)
    {
        Filter[] filters = _filters;
        PacketBpfHost host = PacketBpfHost.Current;
        Devices.DeviceTable? devices = Namespace?.Devices;
        int ret = TcAct.Unspec;
        for (int i = 0; i < filters.Length; i++)
        {
            Filter f = filters[i];
            // qdisc_skb_cb(skb)->tc_classid is 16 bits wide.
            packet.Meta.TcClassId = f.Result.ClassId & 0xffff;
            int filterResult = (int)host.Run(f.Program.Program, packet, devices);
            if (f.DirectAction)
            {
                result.Class = null;
                result.ClassId = (f.Result.ClassId & 0xffff0000) | (packet.Meta.TcClassId & 0xffff);
                result.GotoChain = null;
                ret = ExecOpcode(filterResult);
                if (ret == TcAct.Unspec) continue;
                break;
            }
            if (filterResult == 0) continue;
            if (filterResult != -1)
            {
                result.Class = null;
                result.ClassId = (uint)filterResult;
            }
            else
            {
                result.ClassId = f.Result.ClassId;
                result.Class = f.Result.Class;
            }
            result.GotoChain = null;
            ret = f.Actions.Execute(packet, ref result);
            if (ret < 0) continue;
            break;
        }
        return ret;
    }

    /// <summary>cls_bpf_exec_opcode(): the verdicts a direct-action program may give.</summary>
    private static int ExecOpcode(int code) => code switch
    {
        TcAct.Ok or TcAct.Shot or TcAct.Stolen or TcAct.Trap or TcAct.Redirect or TcAct.Unspec => code,
        _ => TcAct.Unspec,
    };

    public override FilterNode? Get(uint handle) => Array.Find(_filters, f => f.Id == handle);

    public override FilterNode Change(FilterChange change)
    {
        if (change.Options is not BpfSpec spec) throw KernelError.Errno(Errno.EINVAL);
        var old = change.Existing as Filter;
        uint handle = FilterArray.Handle(_filters, change.Handle, old);
        bool isClassic = spec.Opcodes is not null;
        bool isEbpf = spec.Program is not null;
        if (isClassic == isEbpf) throw KernelError.Errno(Errno.EINVAL);
        uint genFlags = spec.GenFlags ?? 0;
        if ((genFlags & ~(ClassifierFlags.SkipHw | ClassifierFlags.SkipSw)) != 0 || !ClassifierFlags.IsValid(genFlags))
            throw KernelError.Errno(Errno.EINVAL);

        ActionList actions = FilterExts.Validate(this, spec.Actions, change.Replace, genFlags);
        LoadedProgram program;
        try
        {
            program = spec.Program ?? BpfProgramLoading.LoadClassic(spec.Opcodes!, ProgramType.SchedCls);
        }
        catch (TcException)
        {
            FilterExts.Destroy(actions);
            throw;
        }
        var f = new Filter
        {
            Id = handle,
            Program = program,
            Opcodes = spec.Opcodes,
            Name = spec.Name,
            Actions = actions,
            DirectAction = spec.DirectAction,
        };
        if (spec.ClassId is { } classId) ClassBinding.Bind(this, ref f.Result, classId);
        // cls_bpf_offload(): with no hardware, skip_sw cannot be satisfied.
        if ((genFlags & ClassifierFlags.SkipHw) == 0 && (genFlags & ClassifierFlags.SkipSw) != 0)
        {
            Release(f);
            throw KernelError.Errno(Errno.EINVAL);
        }
        f.GenFlags = genFlags | ClassifierFlags.NotInHw;

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
        return new FilterDump(f.Id, new BpfSpec
        {
            ClassId = f.Result.ClassId != 0 ? f.Result.ClassId : null,
            Opcodes = f.Opcodes,
            Program = f.Opcodes is null ? f.Program : null,
            Name = f.Name,
            Actions = FilterExts.Dump(f.Actions, Namespace),
            Flags = f.DirectAction ? BpfSpec.FlagDirectAction : null,
            GenFlags = f.GenFlags != 0 ? f.GenFlags : null,
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
