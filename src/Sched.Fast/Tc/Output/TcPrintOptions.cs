namespace Sched.Fast.Tc.Output;

/// <summary>
/// tc's global output flags (tc/tc.c main()): -s (stats, repeatable), -d (details), -iec, -raw, -oneline, -json,
/// -pretty, -graph.
/// </summary>
public sealed record TcPrintOptions
{
    public static readonly TcPrintOptions Default = new();

    public int ShowStats { get; init; }
    public bool ShowDetails { get; init; }
    public bool UseIec { get; init; }
    public bool ShowRaw { get; init; }
    public bool OneLine { get; init; }

    /// <summary>-j: JSON output (for the objects whose show code supports it).</summary>
    public bool Json { get; init; }

    /// <summary>-p: pretty JSON.</summary>
    public bool Pretty { get; init; }

    /// <summary>-g: the class tree as a graph.</summary>
    public bool ShowGraph { get; init; }
}
