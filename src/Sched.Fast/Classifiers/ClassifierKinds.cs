using Sched.Fast.Classifiers.Basic;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Classifiers.Matchall;
using Sched.Fast.Classifiers.U32;

namespace Sched.Fast.Classifiers;

/// <summary>The registry of classifier kinds by tc name. Every kind registers here, once.</summary>
public static class ClassifierKinds
{
    private static readonly Dictionary<string, ClassifierKind> s_kinds = new(StringComparer.Ordinal);

    static ClassifierKinds()
    {
        Register(new U32Kind());
        Register(new MatchallKind());
        Register(new BasicKind());
        Register(new BpfKind());
    }

    public static IEnumerable<ClassifierKind> All => s_kinds.Values;

    public static ClassifierKind? Find(string name) => s_kinds.GetValueOrDefault(name);

    /// <summary>Adds a kind (the bpf classifier registers here too).</summary>
    public static void Register(ClassifierKind kind) => s_kinds.Add(kind.Name, kind);
}
