using Sched.Fast.Qdiscs.Clsact;
using Sched.Fast.Qdiscs.Codel;
using Sched.Fast.Qdiscs.Fifo;
using Sched.Fast.Qdiscs.FqCodel;
using Sched.Fast.Qdiscs.Htb;
using Sched.Fast.Qdiscs.Ingress;
using Sched.Fast.Qdiscs.Netem;
using Sched.Fast.Qdiscs.Noqueue;
using Sched.Fast.Qdiscs.PfifoFast;
using Sched.Fast.Qdiscs.Prio;
using Sched.Fast.Qdiscs.Sfq;
using Sched.Fast.Qdiscs.Tbf;

namespace Sched.Fast.Qdiscs;

/// <summary>The registry of qdisc kinds by tc name. Every kind registers here, once.</summary>
public static class QdiscKinds
{
    private static readonly Dictionary<string, QdiscKind> s_kinds = new(StringComparer.Ordinal);

    static QdiscKinds()
    {
        Register(new PfifoKind());
        Register(new BfifoKind());
        Register(new PfifoHeadDropKind());
        Register(new PfifoFastKind());
        Register(new NoqueueKind());
        Register(new IngressKind());
        Register(new ClsactKind());
        Register(new CodelKind());
        Register(new FqCodelKind());
        Register(new SfqKind());
        Register(new PrioKind());
        Register(new TbfKind());
        Register(new HtbKind());
        Register(new NetemKind());
    }

    public static IEnumerable<QdiscKind> All => s_kinds.Values;

    public static QdiscKind? Find(string name) => s_kinds.GetValueOrDefault(name);

    /// <summary>Adds a kind (the static constructor lists the built-in ones; tests add their own).</summary>
    internal static void Register(QdiscKind kind) => s_kinds.TryAdd(kind.Name, kind);
}
