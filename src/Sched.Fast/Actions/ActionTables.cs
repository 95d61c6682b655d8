namespace Sched.Fast.Actions;

/// <summary>The action tables of one namespace, one per kind (the kernel's per-net tc_action_net of each kind).</summary>
public sealed class ActionTables
{
    private readonly Dictionary<string, ActionTable> _tables = new(StringComparer.Ordinal);

    /// <summary>The table of <paramref name="kind"/>, created empty on first use.</summary>
    public ActionTable For(string kind)
    {
        if (!_tables.TryGetValue(kind, out ActionTable? t))
        {
            t = new ActionTable(kind);
            _tables.Add(kind, t);
        }
        return t;
    }

    public IEnumerable<ActionTable> All => _tables.Values;
}
