using Sched.Fast.Actions;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;

namespace Sched.Fast.Tests.Qdiscs.Htb;

/// <summary>
/// A stand-in for "fw": a packet's mark is its classid (verdict ok); marks listed in <see cref="Verdicts"/> return
/// that verdict instead; mark 0 matches nothing.
/// </summary>
internal sealed class MarkClassifier() : Classifier(1, EtherTypes.All)
{
    public Dictionary<uint, int> Verdicts { get; } = [];

    public override string Kind => "mark";

    public override int Classify(Packet packet, ref ClassifyResult result)
    {
        uint mark = packet.Mark;
        if (mark == 0) return TcAct.Unspec;
        if (Verdicts.TryGetValue(mark, out int verdict)) return verdict;
        result.ClassId = mark;
        return TcAct.Ok;
    }
}
