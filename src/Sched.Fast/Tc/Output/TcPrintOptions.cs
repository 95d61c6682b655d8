namespace Sched.Fast.Tc.Output;

/// <summary>tc's global output flags: -s (stats, repeatable), -d (details), -iec, -raw, -oneline.</summary>
public sealed record TcPrintOptions
{
    public static readonly TcPrintOptions Default = new();

    public int ShowStats { get; init; }
    public bool ShowDetails { get; init; }
    public bool UseIec { get; init; }
    public bool ShowRaw { get; init; }
    public bool OneLine { get; init; }
}
