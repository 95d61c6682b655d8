using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Qdiscs;

/// <summary>
/// One qdisc kind: both halves of tc, as Linux splits them. The iproute2 half (tc/q_KIND.c) parses the words after
/// the kind name into a <see cref="QdiscSpec"/> and prints a dumped spec; the kernel half (net/sched/sch_KIND.c)
/// validates a spec and creates or changes the live <see cref="Qdisc"/>. Parse errors read like tc's; kernel
/// errors are <see cref="TcException.Kernel"/> ("Error: ...").
/// </summary>
public abstract class QdiscKind
{
    /// <summary>The name tc uses ("pfifo_fast").</summary>
    public abstract string Name { get; }

    public virtual bool IsClassful => false;

    /// <summary>
    /// False for kinds iproute2 knows without an option parser (q_fifo.c's pfifo_fast): any word after the kind
    /// is refused with "qdisc 'KIND' does not support option parsing" before <see cref="ParseOptions"/> runs.
    /// </summary>
    public virtual bool HasOptionParser => true;

    /// <summary>
    /// q_KIND.c parse_qopt: consume the option words. Return null when tc would send no TCA_OPTIONS (the kernel then
    /// uses its defaults).
    /// </summary>
    public abstract QdiscSpec? ParseOptions(TcArgs args, TcParseContext context);

    /// <summary>q_KIND.c print_qopt: print the options the kernel dumped.</summary>
    public abstract void PrintOptions(TcWriter w, QdiscSpec spec);

    /// <summary>q_KIND.c print_xstats: print kind-specific statistics (tc -s).</summary>
    public virtual void PrintXstats(TcWriter w, object xstats) { }

    /// <summary>sch_KIND.c init: validate <paramref name="spec"/> (null: defaults) and create the qdisc.</summary>
    public abstract Qdisc Create(QdiscSpec? spec, QdiscContext context);

    /// <summary>q_KIND.c parse_copt: a class's options, for classful kinds.</summary>
    public virtual ClassSpec? ParseClassOptions(TcArgs args, TcParseContext context) =>
        throw new TcException($"Error: Qdisc \"{Name}\" is classless.");

    /// <summary>q_KIND.c print_copt.</summary>
    public virtual void PrintClassOptions(TcWriter w, ClassSpec spec) { }

    /// <summary>Class xstats (htb's lended/borrowed/tokens, ...).</summary>
    public virtual void PrintClassXstats(TcWriter w, object xstats) { }

    public override string ToString() => Name;
}
