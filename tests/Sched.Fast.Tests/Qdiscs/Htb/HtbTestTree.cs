using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Htb;
using Sched.Fast.Tc;

namespace Sched.Fast.Tests.Qdiscs.Htb;

/// <summary>Builds htb trees from tc words, the way tc-core will: qdisc options, then "class add" per line.</summary>
internal static class HtbTestTree
{
    public static readonly HtbKind Kind = new();

    public static HtbQdisc Create(NetDevice device, string qdiscOptions, params string[] classes)
    {
        var q = (HtbQdisc)Kind.Create(Kind.ParseOptions(TcArgs.Parse(qdiscOptions), TcParseContext.None),
            new QdiscContext(device, 0x0001_0000, TcHandle.Root));
        foreach (string line in classes) AddClass(q, line);
        return q;
    }

    /// <summary>"PARENT CLASSID options...", e.g. "1: 1:10 rate 1mbit ceil 2mbit".</summary>
    public static HtbClass AddClass(HtbQdisc q, string line)
    {
        string[] words = line.Split(' ', 3);
        if (!TcHandle.TryParseClassId(words[0], out uint parent)) throw new ArgumentException(line);
        if (!TcHandle.TryParseClassId(words[1], out uint classId)) throw new ArgumentException(line);
        ClassSpec? spec = Kind.ParseClassOptions(TcArgs.Parse(words.Length > 2 ? words[2] : ""), TcParseContext.None);
        return (HtbClass)q.AddClass(classId, parent, spec);
    }

    public static HtbClass Class(HtbQdisc q, string classId)
    {
        TcHandle.TryParseClassId(classId, out uint id);
        return (HtbClass)(q.FindClass(id) ?? throw new ArgumentException(classId));
    }
}
