using Sched.Fast.Classifiers;
using Sched.Fast.Packets;

namespace Sched.Fast.Tests.Aqm.Support;

/// <summary>A classifier whose verdict and classid a test decides per packet (a stand-in for u32/bpf filters).</summary>
public sealed class ScriptedClassifier(Func<Packet, (int Verdict, uint ClassId)> decide, uint prio = 1)
    : Classifier(prio, EtherTypes.All)
{
    public override string Kind => "scripted";

    public int Calls { get; private set; }

    public override int Classify(Packet packet, ref ClassifyResult result)
    {
        Calls++;
        var (verdict, classId) = decide(packet);
        result.ClassId = classId;
        return verdict;
    }
}
