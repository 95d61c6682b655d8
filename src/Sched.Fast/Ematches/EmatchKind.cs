using System.Text;
using Sched.Fast.Classifiers;

namespace Sched.Fast.Ematches;

/// <summary>
/// One ematch kind, both halves: tc/em_KIND.c (parse the arguments inside "KIND( ... )", print a dumped one) and
/// net/sched/em_KIND.c (validate and build the matcher the classifier runs).
/// </summary>
public abstract class EmatchKind
{
    /// <summary>The name in expressions and in /etc/iproute2/ematch_map ("cmp").</summary>
    public abstract string Name { get; }

    /// <summary>TCF_EM_* (include/uapi/linux/pkt_cls.h), the kind id the map assigns.</summary>
    public abstract ushort Id { get; }

    /// <summary>print_usage.</summary>
    public abstract string Usage { get; }

    /// <summary>parse_eopt: the arguments after the kind name. Failures are <see cref="EmatchArgException"/>s.</summary>
    public abstract EmatchData Parse(IReadOnlyList<EmatchArg> args);

    /// <summary>print_eopt: what goes between "KIND(" and ")".</summary>
    public abstract void Print(StringBuilder sb, EmatchData data);

    /// <summary>The kernel's validation (ops->change / datalen checks) and the runtime matcher.</summary>
    public abstract EmatchMatcher Create(EmatchData data, FilterNamespace ns);

    public override string ToString() => Name;
}
