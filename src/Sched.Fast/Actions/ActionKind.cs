using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Actions;

/// <summary>
/// One action kind, both halves of tc as Linux splits them. The iproute2 half (tc/m_KIND.c) parses the words of one
/// action into an <see cref="ActionSpec"/> and prints a dumped one; the kernel half (net/sched/act_KIND.c init)
/// creates, binds or replaces the live <see cref="TcAction"/> in its table.
/// </summary>
public abstract class ActionKind
{
    /// <summary>The name tc uses ("gact", "mirred").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// m_KIND.c parse_aopt: the cursor is at the kind word (or, for gact, at a bare verdict such as "drop"); consume
    /// this action's words and leave the cursor after them. <paramref name="devices"/> resolves device names.
    /// </summary>
    public abstract ActionSpec Parse(TcArgs args, DeviceTable devices);

    /// <summary>m_KIND.c print_aopt: print the dumped options (kind name first).</summary>
    public abstract void Print(TcWriter w, ActionSpec spec, DeviceTable devices);

    /// <summary>
    /// act_KIND.c init: validate <paramref name="spec"/> and create the action, bind to an existing one
    /// (<see cref="ActionInitContext.Bind"/>, same index), or replace its parameters. Every error leaves the table
    /// as it was.
    /// </summary>
    public abstract ActionInitResult Init(ActionSpec? spec, ActionInitContext context);

    public override string ToString() => Name;
}
