using Sched.Fast.Actions.Commands;
using Sched.Fast.Classifiers;
using Sched.Fast.Classifiers.Commands;
using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Classifiers.Support;

/// <summary>What one tc process printed and returned.</summary>
public sealed record TcResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs tc command lines against the filter and action commands, each as its own tc process (fresh show state),
/// over one namespace with the oracle's devices (t0, t1, d0). Qdisc and class commands are understood just far
/// enough to build the test qdiscs filters attach to. The clock moves 11 ms per command, so action ages are non-zero
/// as they are on a real machine.
/// </summary>
public sealed class TcHarness
{
    public TcHarness()
    {
        Devices = new DeviceTable();
        Devices.Add(new NetDevice("t0", 2));
        Devices.Add(new NetDevice("t1", 3));
        Devices.Add(new NetDevice("d0", 4));
        Clock = new ManualClock(TimeNs.FromSeconds(100));
        Namespace = new FilterNamespace(Devices, Clock);
    }

    public DeviceTable Devices { get; }
    public ManualClock Clock { get; }
    public FilterNamespace Namespace { get; }

    public NetDevice Dev(string name) => Devices.Find(name)!;

    public TestClassfulQdisc Qdisc(string dev, uint handle) =>
        (TestClassfulQdisc)BlockLookup.FindQdisc(Dev(dev), handle)!;

    public TcResult Run(string line)
    {
        Clock.AdvanceNs(11 * TimeNs.NsPerMs);
        List<string> words = ShellWords.Split(line);
        if (words.Count > 0 && words[0] == "tc") words.RemoveAt(0);
        int stats = 0;
        bool details = false, json = false, pretty = false, raw = false;
        int i = 0;
        for (; i < words.Count && words[i].StartsWith('-'); i++)
        {
            switch (words[i])
            {
                case "-s": stats++; break;
                case "-d": details = true; break;
                case "-j": json = true; break;
                case "-p": pretty = true; break;
                case "-r": raw = true; break;
                default: throw new ArgumentException($"option {words[i]}");
            }
        }
        var options = new TcPrintOptions { ShowStats = stats, ShowDetails = details, ShowRaw = raw };
        var output = new TcWriter(json, pretty, options);
        var error = new StringWriter();
        string obj = words[i];
        var args = new TcArgs(words, i + 1);
        int rc;
        if (TcArgs.IsPrefixOf(obj, "filter")) rc = new FilterCommand(Namespace).RunFilter(args, output, error);
        else if (TcArgs.IsPrefixOf(obj, "chain")) rc = new FilterCommand(Namespace).RunChain(args, output, error);
        else if (TcArgs.IsPrefixOf(obj, "actions")) rc = new ActionCommand(Namespace).Run(args, output, error);
        else if (TcArgs.IsPrefixOf(obj, "qdisc")) rc = QdiscCommand(args);
        else if (TcArgs.IsPrefixOf(obj, "class")) rc = ClassCommand(args);
        else throw new ArgumentException($"object {obj}");
        return new TcResult(rc, output.ToString(), error.ToString());
    }

    /// <summary>"qdisc add dev D (root handle H: KIND ... | ingress | clsact)".</summary>
    private int QdiscCommand(TcArgs args)
    {
        string dev = "";
        uint handle = 0;
        string? kind = null;
        bool root = false;
        args.Advance(); // add
        while (args.HasMore)
        {
            string w = args.Take();
            if (w == "dev") dev = args.Take();
            else if (w == "root") root = true;
            else if (w == "handle") TcHandle.TryParseQdiscHandle(args.Take(), out handle);
            else if (w is "ingress" or "clsact") kind = w;
            else if (kind is null && !w.Contains(':')) kind = w;
        }
        NetDevice d = Dev(dev);
        if (kind is "ingress" or "clsact")
        {
            d.Ingress = new TestClassfulQdisc(new QdiscContext(d, TcHandle.IngressMajor, TcHandle.Ingress), kind);
            return 0;
        }
        if (!root) throw new ArgumentException("only root qdiscs");
        d.Root = new TestClassfulQdisc(new QdiscContext(d, handle, TcHandle.Root), kind!);
        return 0;
    }

    /// <summary>"class add dev D parent P classid C ...".</summary>
    private int ClassCommand(TcArgs args)
    {
        string dev = "";
        uint parent = 0, classId = 0;
        args.Advance();
        while (args.HasMore)
        {
            string w = args.Take();
            if (w == "dev") dev = args.Take();
            else if (w == "parent") TcHandle.TryParseClassId(args.Take(), out parent);
            else if (w == "classid") TcHandle.TryParseClassId(args.Take(), out classId);
        }
        var q = (TestClassfulQdisc)BlockLookup.FindQdisc(Dev(dev), TcHandle.Major(classId))!;
        QdiscClass cl = q.AddTestClass(classId, parent);
        ClassBinding.RebindAll(q, classId, cl);
        return 0;
    }
}
