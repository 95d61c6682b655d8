using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Bpf.Native.Helpers;

/// <summary>
/// Helpers by Linux helper id (include/uapi/linux/bpf.h, enum bpf_func_id). A program is verified against one table;
/// the verified program keeps a snapshot, so later registrations do not change programs already loaded.
/// </summary>
public sealed class HelperTable
{
    /// <summary>The largest helper id a table accepts (Linux has about 210).</summary>
    public const int MaxHelperId = 0xffff;

    private readonly Dictionary<int, HelperDefinition> _byId = new();

    public static HelperTable Empty => new();

    public IReadOnlyCollection<HelperDefinition> All => _byId.Values;

    /// <summary>Adds or replaces the helper with <paramref name="id"/>; returns this table for chaining.</summary>
    public HelperTable Register(int id, string name, HelperPrototype prototype, MethodInfo method, bool mayEndProgram = false) =>
        Register(new HelperDefinition(id, name, prototype, method, mayEndProgram));

    public HelperTable Register(HelperDefinition helper)
    {
        ArgumentNullException.ThrowIfNull(helper);
        _byId[helper.Id] = helper;
        return this;
    }

    public bool TryGet(int id, [NotNullWhen(true)] out HelperDefinition? helper) => _byId.TryGetValue(id, out helper);

    /// <summary>A frozen copy for dispatch, with a pinned table of function pointers for callx.</summary>
    internal HelperDispatchTable Snapshot() => new(_byId.Values);
}
