using Sched.Fast.Classifiers;
using Sched.Fast.Packets;

namespace Sched.Fast.Ematches;

/// <summary>ops->match of one ematch: true when the packet matches (before inversion).</summary>
public abstract class EmatchMatcher
{
    public abstract bool Match(Packet packet, in PacketHeaders headers);
}
