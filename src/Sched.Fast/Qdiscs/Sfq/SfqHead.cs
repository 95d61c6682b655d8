using System.Runtime.InteropServices;

namespace Sched.Fast.Qdiscs.Sfq;

/// <summary>sfq_head: a link of the depth lists, as indexes (below <see cref="SfqQdisc.MaxFlows"/>: a slot).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SfqHead
{
    public ushort Next;
    public ushort Prev;
}
