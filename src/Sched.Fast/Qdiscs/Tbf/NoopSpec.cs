namespace Sched.Fast.Qdiscs.Tbf;

/// <summary>The noop qdisc has no options; its dump is this empty spec.</summary>
public sealed record NoopSpec : QdiscSpec
{
    public static readonly NoopSpec Instance = new();
}
