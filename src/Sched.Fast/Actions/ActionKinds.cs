using Sched.Fast.Actions.Bpf;
using Sched.Fast.Actions.Gact;
using Sched.Fast.Actions.Mirred;

namespace Sched.Fast.Actions;

/// <summary>The registry of action kinds by tc name. Every kind registers here, once.</summary>
public static class ActionKinds
{
    private static readonly Dictionary<string, ActionKind> s_kinds = new(StringComparer.Ordinal);

    static ActionKinds()
    {
        Register(new GactKind());
        Register(new MirredKind());
        Register(new BpfActionKind());
    }

    public static IEnumerable<ActionKind> All => s_kinds.Values;

    public static ActionKind? Find(string name) => s_kinds.GetValueOrDefault(name);

    /// <summary>Adds a kind (the bpf action registers itself from its own assembly part).</summary>
    public static void Register(ActionKind kind) => s_kinds.Add(kind.Name, kind);
}
