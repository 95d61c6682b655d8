using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Classifiers;

/// <summary>
/// One classifier kind, both halves of tc as Linux splits them. The iproute2 half (tc/f_KIND.c) parses the words
/// after the kind name into a <see cref="FilterRequest"/> and prints a dumped filter; the kernel half
/// (net/sched/cls_KIND.c) creates the <see cref="Classifier"/> (tcf_proto) whose ops change, delete, walk and dump
/// its filters. Parse errors read like tc's; kernel errors are <see cref="KernelError"/>s.
/// </summary>
public abstract class ClassifierKind
{
    /// <summary>The name tc uses ("u32", "matchall", "basic").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// f_KIND.c parse_fopt: <paramref name="handle"/> is the "handle" word of the command (null when absent); the
    /// cursor is after the kind name. A parse failure that tc reports with "return -1" is a <see cref="TcException"/>
    /// with exit code 1; one that exits (usage, invarg) carries 255.
    /// </summary>
    public abstract FilterRequest ParseOptions(string? handle, TcArgs args, DeviceTable devices);

    /// <summary>f_KIND.c print_fopt: the dumped filter, inside the "options" JSON object.</summary>
    public abstract void PrintOptions(TcWriter w, FilterDump dump, FilterPrintContext context);

    /// <summary>tcf_proto_create() + ops->init: a new, empty classifier for <paramref name="chain"/>.</summary>
    public abstract Classifier Create(uint prio, ushort protocol, FilterChain chain, FilterNamespace ns);

    public override string ToString() => Name;
}
